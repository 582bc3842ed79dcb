import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@linktrack/store';
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
