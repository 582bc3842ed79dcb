import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@linktrack/telemetry';

export interface AttributionRepairDeps {
  client: ClickHouseClient;
  logger: Logger;
  /** How often to look (default 5 s). */
  intervalMs?: number;
  /** How far back touches are checked (default 10 minutes): a race needs both inserts in flight. */
  lookbackMinutes?: number;
}

/** The columns of linktrack.attributed_conversions, in the order linktrack.unattributed_touches gives them. */
const COLUMNS = [
  'conversion_id',
  'source',
  'received_at',
  'click_id',
  'position',
  'touch_count',
  'event',
  'value',
  'currency',
  'conversion_ts',
  'click_ts',
  'seconds_to_convert',
  'slug',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_content',
  'utm_term',
  'country',
  'region',
  'device_type',
  'browser',
  'os',
  'referrer_medium',
  'referrer_domain',
  'trigger',
  'is_bot',
  'bot_reason',
  'visit_type',
  'visitor_hash',
].join(', ');

/**
 * Attribution rows are made by two materialized views, one per side, at
 * insert. A click and a conversion naming it inserted at the same moment can
 * each miss the other (on a server, two sink batches in flight). Every few
 * seconds this adds the rows such a race left out (linktrack.unattributed_touches);
 * rows added twice by two sinks collapse in the ReplacingMergeTree.
 */
export function startAttributionRepair(deps: AttributionRepairDeps): {
  repair(): Promise<number>;
  stop(): Promise<void>;
} {
  const lookback = deps.lookbackMinutes ?? 10;
  // The first run after a start looks back a day: a sink that stopped right after a race
  // (and stayed down longer than the lookback) still mends it.
  let minutes = Math.max(lookback, 24 * 60);
  const repair = async (): Promise<number> => {
    const result = await repairOnce();
    minutes = lookback;
    return result;
  };
  const repairOnce = async (): Promise<number> => {
    const counted = await deps.client.query({
      query: 'SELECT count() AS n FROM linktrack.unattributed_touches(minutes = {minutes:UInt32})',
      query_params: { minutes },
      format: 'JSONEachRow',
    });
    const missing = Number((await counted.json<{ n: string | number }>())[0]?.n ?? 0);
    if (missing === 0) return 0;
    await deps.client.command({
      query: `INSERT INTO linktrack.attributed_conversions (${COLUMNS})
              SELECT ${COLUMNS} FROM linktrack.unattributed_touches(minutes = {minutes:UInt32})`,
      query_params: { minutes },
    });
    deps.logger.info(
      { event: 'attribution_repaired', rows: missing },
      'added attribution rows a concurrent insert left out',
    );
    return missing;
  };
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= repair()
      .catch((err) =>
        deps.logger.warn({ event: 'attribution_repair_failed', err }, 'attribution repair failed'),
      )
      .finally(() => {
        running = null;
      });
  }, deps.intervalMs ?? 5_000);
  timer.unref();
  return {
    repair,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
