export type StoreErrorCode =
  | 'LT_STORE_UNREACHABLE'
  | 'LT_STORE_MIGRATION_FAILED'
  | 'LT_STORE_MIGRATION_CHANGED'
  | 'LT_STORE_BAD_MIGRATION';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly retriable: boolean;
  constructor(code: StoreErrorCode, message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.retriable = retriable;
  }
}
