export { StoreError, type StoreErrorCode } from './errors.js';
export { type Migration, migrate, readMigrations, splitStatements } from './migrations.js';
export { MIGRATIONS_DIR, openStore, redact, type Store, type StoreOptions } from './store.js';
