export {
  type AnalystQuery,
  type AnalystResult,
  type AnalystSql,
  createAnalystSql,
  sqlStringLiteral,
} from './analyst/analyst-sql.js';
export { sanitizeEngineMessage } from './analyst/engine-errors.js';
export { type AnalystLimits, analystSettings, DEFAULT_ANALYST_LIMITS } from './analyst/limits.js';
export { judgeStatement, parseAstDump, type StatementKind } from './analyst/statement.js';
export { AnalystSqlError, type AnalystSqlErrorCode, StoreError, type StoreErrorCode } from './errors.js';
export { type Migration, migrate, readMigrations, splitStatements } from './migrations.js';
export { chdbTsvInserter, serverTsvInserter, type TsvInsert, type TsvInserter } from './raw-insert.js';
export {
  type AnalyticsReader,
  type QueryParams,
  type ReaderLimits,
  readerSettings,
  type StreamFormat,
} from './reader.js';
export { MIGRATIONS_DIR, openStore, redact, type Store, type StoreOptions } from './store.js';
