/** Stable error codes of the redirect host's own endpoints; callers branch on `code`. */
export type RedirectErrorCode =
  | 'LT_COLLECT_INVALID'
  | 'LT_COLLECT_UNKNOWN_TYPE'
  | 'LT_COLLECT_ORIGIN'
  | 'LT_COLLECT_KEY'
  | 'LT_COLLECT_RATE_LIMITED';

/** A collect request refused, with the HTTP status it is answered with. */
export class CollectError extends Error {
  readonly code: RedirectErrorCode;
  readonly status: number;
  constructor(code: RedirectErrorCode, status: number, message: string) {
    super(message);
    this.name = 'CollectError';
    this.code = code;
    this.status = status;
  }
}
