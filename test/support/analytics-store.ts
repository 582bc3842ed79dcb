import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_DIR, openStore, readMigrations, type Store, splitStatements } from '@linktrack/store';
import { createLogger } from '@linktrack/telemetry';
import { type AnalyticsDataset, seedAnalyticsDataset } from '@linktrack/test-support';

interface Column {
  name: string;
  type: string;
}

export interface AnalyticsStore {
  store: Store;
  dataset: AnalyticsDataset;
  /** Rows of one statement on the read/write client, with the engine's own column names and order. */
  rows(query: string): Promise<{ columns: Column[]; rows: unknown[][] }>;
}

/**
 * The embedded engine with every migration applied and the shared analytics
 * dataset seeded: what dashboards and the analysts' queries run against.
 */
export async function openAnalyticsStore(prefix: string): Promise<AnalyticsStore> {
  const store = await openStore({
    url: null,
    dataDir: mkdtempSync(join(tmpdir(), prefix)),
    logger: createLogger('silent'),
  });
  await applyModelStandIn(store);
  const dataset = await seedAnalyticsDataset(store.client);
  return {
    store,
    dataset,
    rows: async (query) => {
      const result = await store.client.query({ query, format: 'JSONCompact' });
      const json = (await result.json()) as unknown as { meta: Column[]; data: unknown[][] };
      return { columns: json.meta, rows: json.data };
    },
  };
}

/** Until migrations 021 and 022 exist, their views come from a stand-in written to their specification. */
async function applyModelStandIn(store: Store): Promise<void> {
  const versions = new Set(readMigrations(MIGRATIONS_DIR).map((m) => m.version));
  if (versions.has(21) && versions.has(22)) return;
  const sql = readFileSync(new URL('./model-standin.sql', import.meta.url), 'utf8');
  for (const statement of splitStatements(sql)) await store.client.command({ query: statement });
}
