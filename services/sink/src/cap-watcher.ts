import type { ClickHouseClient } from '@clickhouse/client';
import type { Bus } from '@linktrack/bus';
import { followLinks, LinkIndex, linkState } from '@linktrack/links';
import { type Codec, GROUPS, instanceGroup, type LinkEvent, TOPICS } from '@linktrack/streams';
import type { Logger } from '@linktrack/telemetry';

export interface CapWatcherDeps {
  bus: Bus;
  client: ClickHouseClient;
  codec: Codec<LinkEvent>;
  logger: Logger;
  /** How often the counts are read; the cap holds within this plus the sink's batch time. */
  intervalMs?: number;
  now?: () => number;
}

/**
 * Enforces max_human_clicks. Human clicks are counted where they land, in
 * ClickHouse (linktrack.human_clicks: bots and scanners never count, and every
 * sink instance sees the same numbers), once a second for the capped links
 * still active. A link that reached its cap is published with exhausted_at, and
 * every redirect answers 410 from then on: eventually consistent, within a few
 * seconds of the click that used it up.
 */
export async function startCapWatcher(deps: CapWatcherDeps): Promise<{ stop(): Promise<void> }> {
  const now = deps.now ?? Date.now;
  const index = new LinkIndex();
  const follower = await followLinks(index, {
    bus: deps.bus,
    codec: deps.codec,
    logger: deps.logger,
    group: instanceGroup(GROUPS.sinkCaps),
  });
  let running: Promise<void> | null = null;
  const check = async () => {
    const capped = [...index.all()].filter((l) => l.max_human_clicks > 0 && linkState(l, now()) === 'active');
    if (capped.length === 0) return;
    const result = await deps.client.query({
      query: `SELECT slug, uniqExact(click_id) AS humans FROM linktrack.human_clicks
              WHERE slug IN {slugs:Array(String)} GROUP BY slug`,
      query_params: { slugs: capped.map((l) => l.slug) },
      format: 'JSONEachRow',
    });
    const counts = new Map(
      (await result.json<{ slug: string; humans: string }>()).map((r) => [r.slug, Number(r.humans)]),
    );
    const used = capped.filter((l) => (counts.get(l.slug) ?? 0) >= l.max_human_clicks);
    if (used.length === 0) return;
    const at = now();
    const events = used.map((l) => ({ ...l, exhausted_at: at, updated_at: Math.max(at, l.updated_at + 1) }));
    await deps.bus.publish(
      TOPICS.links,
      events.map((e) => ({ key: Buffer.from(e.slug), value: deps.codec.encode(e) })),
    );
    for (const e of events) {
      index.apply(e);
      deps.logger.info(
        {
          event: 'link_cap_reached',
          slug: e.slug,
          max_human_clicks: e.max_human_clicks,
          humans: counts.get(e.slug),
        },
        'link reached its human-click cap',
      );
    }
  };
  const timer = setInterval(() => {
    running ??= check()
      .catch((err) => deps.logger.warn({ event: 'link_cap_check_failed', err }, 'checking link caps failed'))
      .finally(() => {
        running = null;
      });
  }, deps.intervalMs ?? 1_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await follower.close();
    },
  };
}
