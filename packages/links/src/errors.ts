export type LinkErrorCode =
  | 'LT_LINK_BAD_URL'
  | 'LT_LINK_BAD_SLUG'
  | 'LT_LINK_RESERVED_SLUG'
  | 'LT_LINK_BAD_UTM';

/** A link that cannot be created as asked; `field` names the offending input. */
export class LinkError extends Error {
  readonly code: LinkErrorCode;
  readonly field: string;
  constructor(code: LinkErrorCode, field: string, message: string) {
    super(message);
    this.name = 'LinkError';
    this.code = code;
    this.field = field;
  }
}
