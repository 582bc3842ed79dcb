import type { LinktrackConfig } from '@linktrack/config';
import { MIGRATIONS_DIR, migrate, openStore } from '@linktrack/store';
import type { Logger } from '@linktrack/telemetry';

/** Applies pending migrations and exits; for deployments that migrate before starting services. */
export async function migrateCommand(
  config: LinktrackConfig,
  logger: Logger,
  print: (line: string) => void,
): Promise<number> {
  const store = await openStore({
    url: config.clickhouse.url,
    dataDir: config.dataDir,
    logger,
    migrate: false,
  });
  try {
    const applied = await migrate(store.client, MIGRATIONS_DIR, logger);
    print(applied.length ? `applied migrations ${applied.join(', ')}` : 'no pending migrations');
    return 0;
  } finally {
    await store.close();
  }
}
