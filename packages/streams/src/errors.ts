/** Stable error codes for the stream contracts; callers branch on `code`, never on message text. */
export type StreamErrorCode = 'LT_STREAM_NO_CODEC' | 'LT_STREAM_NO_ROW_FORMAT';

/**
 * A wiring mistake, found at start: a consumer asked for a stream it was given
 * no codec for, or a table column has no row form (declare it as derived).
 */
export class StreamError extends Error {
  readonly code: StreamErrorCode;
  constructor(code: StreamErrorCode, message: string) {
    super(message);
    this.name = 'StreamError';
    this.code = code;
  }
}
