/** Stable error codes for the stream contracts; callers branch on `code`, never on message text. */
export type StreamErrorCode = 'LT_STREAM_NO_CODEC';

/** A consumer asked for a stream it was given no codec for: a wiring mistake, found at start. */
export class StreamError extends Error {
  readonly code: StreamErrorCode;
  constructor(code: StreamErrorCode, message: string) {
    super(message);
    this.name = 'StreamError';
    this.code = code;
  }
}
