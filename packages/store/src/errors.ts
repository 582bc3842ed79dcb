export type StoreErrorCode =
  | 'LT_STORE_UNREACHABLE'
  | 'LT_STORE_MIGRATION_FAILED'
  | 'LT_STORE_MIGRATION_CHANGED'
  | 'LT_STORE_BAD_MIGRATION'
  | 'LT_STORE_BUSY';

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

/**
 * Why analyst SQL was refused or stopped. Each code is stable; the api maps
 * it to an HTTP status. `limit` names the setting that stopped the query.
 */
export type AnalystSqlErrorCode =
  | 'LT_SQL_FORBIDDEN'
  | 'LT_SQL_MULTI_STATEMENT'
  | 'LT_SQL_READONLY'
  | 'LT_SQL_FORMAT'
  | 'LT_SQL_LIMIT_TIME'
  | 'LT_SQL_LIMIT_MEMORY'
  | 'LT_SQL_LIMIT_RESULT'
  | 'LT_SQL_BUSY'
  | 'LT_SQL_CANCELLED'
  | 'LT_SQL_ERROR';

export class AnalystSqlError extends Error {
  readonly code: AnalystSqlErrorCode;
  /** The engine's numeric error code, when the engine raised it. */
  readonly clickhouseCode: string | undefined;
  readonly limit: string | undefined;
  constructor(
    code: AnalystSqlErrorCode,
    message: string,
    extra: { clickhouseCode?: string; limit?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'AnalystSqlError';
    this.code = code;
    this.clickhouseCode = extra.clickhouseCode;
    this.limit = extra.limit;
  }
}
