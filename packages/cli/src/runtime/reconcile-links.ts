import type { ClickHouseClient } from '@clickhouse/client';
import type { Bus } from '@linktrack/bus';
import type { LinkIndex } from '@linktrack/links';
import { type Codec, type LinkEvent, TABLES, TOPICS } from '@linktrack/streams';
import type { Logger } from '@linktrack/telemetry';

const ms = (column: string) => `toUnixTimestamp64Milli(${column}) AS ${column}`;

/**
 * Links live on the links topic; ClickHouse keeps a mirror of every state. When
 * the transport changes (embedded → Kafka, or back), the topic may lack links,
 * or hold older states, that the mirror has. Once the index has read the topic,
 * every link whose mirror state is newer than the topic's is published again,
 * so no link is lost and no taken slug can be created twice.
 */
export async function reconcileLinksFromMirror(deps: {
  bus: Bus;
  client: ClickHouseClient;
  codec: Codec<LinkEvent>;
  index: LinkIndex;
  logger: Logger;
}): Promise<number> {
  const result = await deps.client.query({
    query: `SELECT slug, url, destination, status, utm_source, utm_medium, utm_campaign, utm_term, utm_content,
              ${ms('created_at')}, ${ms('updated_at')}, claim_id, redirect_status, forward_query = 1 AS forward_query,
              track_conversions = 1 AS track_conversions, tags,
              if(isNull(expires_at), NULL, toUnixTimestamp64Milli(assumeNotNull(expires_at))) AS expires_at,
              max_human_clicks,
              if(isNull(exhausted_at), NULL, toUnixTimestamp64Milli(assumeNotNull(exhausted_at))) AS exhausted_at,
              honeypot = 1 AS honeypot
            FROM ${TABLES.links} FINAL`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<LinkEvent>();
  const missing = rows.filter((row) => {
    const current = deps.index.get(row.slug);
    return current === undefined || current.updated_at < Number(row.updated_at);
  });
  if (missing.length === 0) return 0;
  for (let at = 0; at < missing.length; at += 1_000) {
    await deps.bus.publish(
      TOPICS.links,
      missing.slice(at, at + 1_000).map((row) => {
        const event: LinkEvent = {
          ...row,
          created_at: Number(row.created_at),
          updated_at: Number(row.updated_at),
          expires_at: row.expires_at === null ? null : Number(row.expires_at),
          exhausted_at: row.exhausted_at === null ? null : Number(row.exhausted_at),
          forward_query: Boolean(row.forward_query),
          track_conversions: Boolean(row.track_conversions),
          honeypot: Boolean(row.honeypot),
        };
        return { key: Buffer.from(event.slug), value: deps.codec.encode(event) };
      }),
    );
  }
  // A warning: it means the transport changed or the topic lost records, which an operator should know.
  deps.logger.warn(
    { event: 'links_restored_from_mirror', links: missing.length },
    `restored ${missing.length} links from ClickHouse onto the links topic`,
  );
  return missing.length;
}
