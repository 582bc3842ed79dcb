import { afterAll, beforeAll, describe, expect } from 'vitest';
import { kafkaBrokers, kafkaIt } from '../support/kafka.js';
import {
  API_KEY,
  type Cluster,
  click,
  createLink,
  startCluster,
  waitForClicks,
} from '../support/pipeline.js';
import { type LinktrackProcess, startLinktrack } from '../support/processes.js';
import { mapLimit, waitFor } from '../support/wait.js';

/** How long until every redirect instance answers `want` for the slug, failing past 1 s. */
async function visibleEverywhere(redirects: string[], slug: string, want: (res: Response) => boolean) {
  const started = performance.now();
  await Promise.all(
    redirects.map((base) =>
      waitFor(
        () => fetch(`${base}/${slug}`, { redirect: 'manual' }),
        (res) => want(res),
        1_000,
        20,
      ),
    ),
  );
  return performance.now() - started;
}

describe('separate processes on Kafka', () => {
  let cluster: Cluster;
  let secondRedirect: LinktrackProcess;

  beforeAll(async () => {
    if (!kafkaBrokers()) return;
    cluster = await startCluster('e2e');
    secondRedirect = await startLinktrack('e2e-redirect-2', { services: 'redirect', env: cluster.env });
  });
  afterAll(async () => {
    await secondRedirect?.stop();
    await cluster?.stopAll();
  });

  kafkaIt('a new link answers within 1 s and 5,000 clicks give exactly 5,000 rows', async () => {
    const slug = await createLink(
      cluster.store.apiUrl as string,
      'https://example.com/spring?utm_source=news',
    );
    const created = performance.now();
    const first = await waitFor(
      () => click(cluster.redirect.redirectUrl as string, slug, 0),
      (r) => r.status === 302,
      1_000,
      20,
    );
    const visibleAfterMs = performance.now() - created;
    expect(first.status).toBe(302);
    expect(visibleAfterMs).toBeLessThan(1_000);

    const results = await mapLimit(
      Array.from({ length: 4_999 }, (_, i) => i + 1),
      50,
      (n) => click(cluster.redirect.redirectUrl as string, slug, n),
    );
    expect(results.filter((r) => r.status !== 302)).toEqual([]);

    const counts = await waitForClicks(cluster.sql, slug, 5_000);
    expect(counts).toEqual({ rows: 5_000, distinct: 5_000, final: 5_000 });
  });

  kafkaIt('updates and disables reach every redirect instance within 1 s, and the links table', async () => {
    const api = cluster.store.apiUrl as string;
    const redirects = [cluster.redirect.redirectUrl as string, secondRedirect.redirectUrl as string];
    const slug = await createLink(api, 'https://example.com/before');
    await visibleEverywhere(redirects, slug, (res) => res.status === 302);

    const patch = await fetch(`${api}/v1/links/${slug}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://example.com/after' }),
    });
    expect(patch.status).toBe(200);
    const moved = await visibleEverywhere(redirects, slug, (res) =>
      (res.headers.get('location') ?? '').startsWith('https://example.com/after'),
    );
    expect(moved).toBeLessThan(1_000);

    const disable = await fetch(`${api}/v1/links/${slug}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(disable.status).toBe(200);
    const gone = await visibleEverywhere(redirects, slug, (res) => res.status === 410);
    expect(gone).toBeLessThan(1_000);

    const mirrored = await waitFor(
      () =>
        cluster.sql<{ url: string; status: string }>(
          'SELECT url, status FROM linktrack.links FINAL WHERE slug = {slug:String}',
          { slug },
        ),
      (rows) => rows[0]?.status === 'disabled',
      15_000,
      200,
    );
    expect(mirrored).toEqual([{ url: 'https://example.com/after', status: 'disabled' }]);
  });

  kafkaIt('stops gracefully on SIGTERM: every service exits 0', async () => {
    const exits = await Promise.all([
      cluster.redirect.stop(),
      secondRedirect.stop(),
      ...cluster.enrichers.map((e) => e.stop()),
      cluster.store.stop(),
    ]);
    expect(exits).toEqual([0, 0, 0, 0]);
  });
});
