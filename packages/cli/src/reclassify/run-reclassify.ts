import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Reclassified, Reclassifier, StoredClick } from '@linktrack/enricher';

export interface ReclassifyOptions {
  client: ClickHouseClient;
  reclassifier: Reclassifier;
  /** Milliseconds since the epoch: clicks with from ≤ ts < to. */
  from: number;
  to: number;
  /** Judge and count, but change nothing. */
  dryRun?: boolean;
  /** Called as clicks are read: done of total. */
  progress?: (done: number, total: number, changed: number) => void;
  /** Most changed clicks applied by one rewrite (the verdicts wait in memory until then). */
  maxPerMutation?: number;
  /** Most clicks read per query; an hour with more is read a minute at a time. */
  maxPerRead?: number;
}

export interface ReclassifyResult {
  read: number;
  changed: number;
  /** bot_reason before → after, with how many clicks moved. */
  moves: Record<string, number>;
}

// Aliases must not be column names: WHERE and ORDER BY would read the alias.
const COLUMNS = `toString(click_id) AS id, toUnixTimestamp64Milli(ts) AS ts_ms, slug, method, user_agent,
  accept_language, referrer_domain, ip_prefix, asn, asn_org, request_headers, bot_signals, bot_reason,
  is_bot, classifier_version, device_type, visitor_hash`;

/**
 * Re-runs the classifier over stored clicks and rewrites the ones whose
 * verdict changed, in place. The new verdicts go to a temporary Join table
 * keyed by click id; one `ALTER TABLE linktrack.clicks UPDATE … WHERE` (a
 * mutation, run with mutations_sync = 2, so it has finished when this returns)
 * then rewrites exactly those rows from it. Rows are rewritten where they are:
 * no second copy of a click exists at any time, so counts without FINAL stay
 * right. The scanner_clients rows of the period (bursts and honeypot hits) are
 * rebuilt from the rewritten clicks. Clicks are read in time order, an hour
 * (or a minute) at a time, so bursts are judged across the whole period.
 */
export async function reclassifyClicks(options: ReclassifyOptions): Promise<ReclassifyResult> {
  const { client, reclassifier, from, to } = options;
  const maxPerMutation = options.maxPerMutation ?? 500_000;
  const maxPerRead = options.maxPerRead ?? 200_000;
  const params = { from, to };
  const range = 'ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})';
  const total = Number(
    (
      await rows<{ n: string }>(
        client,
        `SELECT count() AS n FROM linktrack.clicks FINAL WHERE ${range}`,
        params,
      )
    )[0]?.n ?? 0,
  );
  const result: ReclassifyResult = { read: 0, changed: 0, moves: {} };
  const table = `linktrack.reclassify_${randomUUID().replaceAll('-', '')}`;
  let held: Reclassified[] = [];
  const reasons = new Map<string, string>();

  const apply = async () => {
    if (held.length === 0 || options.dryRun) {
      held = [];
      return;
    }
    await client.command({
      query: `CREATE TABLE ${table} (id String, is_bot UInt8, bot_reason String, bot_signals Array(String),
        classifier_version Int32, device_type String, asn UInt64, asn_org String) ENGINE = Join(ANY, LEFT, id)`,
    });
    try {
      await client.insert({
        table,
        format: 'JSONEachRow',
        values: held.map((r) => ({ ...r, id: r.click_id, click_id: undefined, is_bot: r.is_bot ? 1 : 0 })),
      });
      const set = [
        'is_bot',
        'bot_reason',
        'bot_signals',
        'classifier_version',
        'device_type',
        'asn',
        'asn_org',
      ]
        .map((c) => `${c} = joinGet('${table}', '${c}', toString(click_id))`)
        .join(', ');
      await client
        .command({
          query: `ALTER TABLE linktrack.clicks UPDATE ${set} WHERE ${range} AND toString(click_id) IN (SELECT id FROM ${table})`,
          query_params: params,
          clickhouse_settings: { mutations_sync: '2' },
        })
        .catch(async (err) => {
          // A failed mutation would otherwise be retried by the engine for ever, against a dropped table.
          await client
            .command({
              query: `KILL MUTATION WHERE database = 'linktrack' AND table = 'clicks' AND position(command, '${table}') > 0`,
            })
            .catch(() => {});
          throw err;
        });
      // Attribution rows carry the click's verdict from when they were made, and a mutation
      // feeds no materialized view: the same verdicts go there too, or a click judged a bot
      // now would keep its conversions.
      const verdict = ['is_bot', 'bot_reason', 'device_type']
        .map((c) => `${c} = joinGet('${table}', '${c}', toString(click_id))`)
        .join(', ');
      await client.command({
        query: `ALTER TABLE linktrack.attributed_conversions UPDATE ${verdict}
                WHERE toString(click_id) IN (SELECT id FROM ${table})`,
        clickhouse_settings: { mutations_sync: '2' },
      });
    } finally {
      await client.command({ query: `DROP TABLE IF EXISTS ${table} SYNC` });
    }
    held = [];
  };

  const take = async (changed: Reclassified[]) => {
    for (const r of changed) {
      const before = reasons.get(r.click_id) ?? '';
      const key = `${before || '(person)'} → ${r.bot_reason || '(person)'}`;
      result.moves[key] = (result.moves[key] ?? 0) + 1;
      reasons.delete(r.click_id);
    }
    result.changed += changed.length;
    held.push(...changed);
    if (held.length >= maxPerMutation) await apply();
  };

  for (const [start, end] of await windows(client, from, to, maxPerRead)) {
    const page = await rows<Record<string, unknown>>(
      client,
      `SELECT ${COLUMNS} FROM linktrack.clicks FINAL
       WHERE ts >= fromUnixTimestamp64Milli({start:Int64}) AND ts < fromUnixTimestamp64Milli({end:Int64})
       ORDER BY ts, click_id`,
      { start, end },
    );
    for (const row of page) {
      const stored = toStored(row);
      reasons.set(stored.click_id, stored.bot_reason);
      await take(reclassifier.next(stored));
      result.read += 1;
    }
    // Reasons of clicks that settled unchanged are not needed any more.
    if (reasons.size > 100_000)
      for (const id of [...reasons.keys()].slice(0, reasons.size - 50_000)) reasons.delete(id);
    options.progress?.(result.read, total, result.changed);
  }
  await take(reclassifier.finish());
  await apply();
  if (!options.dryRun && result.changed > 0) await rebuildScannerClients(client, range, params);
  options.progress?.(result.read, total, result.changed);
  return result;
}

/** Windows of the period, in order, each holding at most about `max` clicks (an hour, or a minute). */
async function windows(
  client: ClickHouseClient,
  from: number,
  to: number,
  max: number,
): Promise<[number, number][]> {
  const hours = await rows<{ h: string; n: string }>(
    client,
    `SELECT toUnixTimestamp(toStartOfHour(ts)) * 1000 AS h, count() AS n FROM linktrack.clicks
     WHERE ts >= fromUnixTimestamp64Milli({from:Int64}) AND ts < fromUnixTimestamp64Milli({to:Int64})
     GROUP BY h ORDER BY h`,
    { from, to },
  );
  const out: [number, number][] = [];
  for (const { h, n } of hours) {
    const hour = Number(h);
    const [start, end] = [Math.max(from, hour), Math.min(to, hour + 3_600_000)];
    if (Number(n) <= max) out.push([start, end]);
    else for (let m = start; m < end; m += 60_000) out.push([m, Math.min(end, m + 60_000)]);
  }
  return out;
}

/** The period's honeypot and burst clients, from the clicks as they now are. */
async function rebuildScannerClients(
  client: ClickHouseClient,
  range: string,
  params: Record<string, number>,
) {
  await client.command({
    query: `ALTER TABLE linktrack.scanner_clients DELETE WHERE ${range}`,
    query_params: params,
    clickhouse_settings: { mutations_sync: '2' },
  });
  await client.command({
    query: `INSERT INTO linktrack.scanner_clients
      SELECT visitor_hash, ts, click_id, arrayJoin(arrayFilter(s -> s IN ('honeypot', 'burst'), bot_signals)) AS signal
      FROM linktrack.clicks FINAL
      WHERE ${range} AND visitor_hash != '' AND hasAny(bot_signals, ['honeypot', 'burst'])`,
    query_params: params,
  });
}

function toStored(row: Record<string, unknown>): StoredClick {
  return {
    click_id: String(row.id),
    ts: Number(row.ts_ms),
    slug: String(row.slug),
    method: String(row.method),
    user_agent: String(row.user_agent),
    accept_language: String(row.accept_language),
    referrer_domain: String(row.referrer_domain),
    ip_prefix: String(row.ip_prefix),
    asn: Number(row.asn),
    asn_org: String(row.asn_org),
    request_headers: (row.request_headers ?? {}) as Record<string, string>,
    bot_signals: (row.bot_signals ?? []) as string[],
    bot_reason: String(row.bot_reason),
    is_bot: Number(row.is_bot) === 1,
    classifier_version: Number(row.classifier_version),
    device_type: String(row.device_type),
    visitor_hash: String(row.visitor_hash),
  };
}

async function rows<T>(
  client: ClickHouseClient,
  query: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
}
