export type LinkErrorCode =
  | 'LT_LINK_BAD_URL'
  | 'LT_LINK_BAD_SCHEME'
  | 'LT_LINK_NO_HOST'
  | 'LT_LINK_CREDENTIALS'
  | 'LT_LINK_PRIVATE_DESTINATION'
  | 'LT_LINK_URL_TOO_LONG'
  | 'LT_LINK_BAD_SLUG'
  | 'LT_LINK_RESERVED_SLUG'
  | 'LT_LINK_BAD_UTM'
  | 'LT_LINK_UTM_VIOLATION';

/** A link that cannot be created as asked; `field` names the offending input. */
export class LinkError extends Error {
  readonly code: LinkErrorCode;
  readonly field: string;
  /** For LT_LINK_UTM_VIOLATION: every problem found, errors and warnings. */
  readonly problems: readonly unknown[];
  constructor(code: LinkErrorCode, field: string, message: string, problems: readonly unknown[] = []) {
    super(message);
    this.problems = problems;
    this.name = 'LinkError';
    this.code = code;
    this.field = field;
  }
}
