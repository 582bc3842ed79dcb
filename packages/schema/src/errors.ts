/** Stable error codes for the schema package; callers branch on `code`, never on message text. */
export type SchemaErrorCode =
  | 'LT_SCHEMA_BAD_HEADER'
  | 'LT_SCHEMA_UNKNOWN_FINGERPRINT'
  | 'LT_SCHEMA_DECODE_FAILED'
  | 'LT_SCHEMA_INVALID_RECORD';

export class SchemaError extends Error {
  readonly code: SchemaErrorCode;
  constructor(code: SchemaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaError';
    this.code = code;
  }
}
