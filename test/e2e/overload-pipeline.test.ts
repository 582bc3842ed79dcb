import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@linktrack/bus';
import { bundledGeoipPaths } from '@linktrack/config';
import {
  createEnrichContext,
  createUserAgentParser,
  openGeoLookup,
  startEnricher,
} from '@linktrack/enricher';
import { ClickBuffer, Spool } from '@linktrack/redirect';
import { startSink } from '@linktrack/sink';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs, TOPICS } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { clickEvent, clickId } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

/**
 * Overload in the embedded default, on the real engine: clicks arrive faster
 * than the pipeline takes them. The bounded bus pushes back, the redirect's
 * clicks wait in memory and then in the spool, the pipeline holds back while
 * told to, and once it may run again it catches up with every click, once.
 */
const logger = createLogger('silent');
let store: Store;
beforeAll(async () => {
  store = await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-overload-')), logger });
});
afterAll(async () => store?.close());

async function stored(slug: string): Promise<{ rows: number; ids: number }> {
  const result = await store.client.query({
    query:
      'SELECT count() AS rows, uniqExact(click_id) AS ids FROM linktrack.clicks WHERE slug = {slug:String}',
    query_params: { slug },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: string; ids: string }>();
  return { rows: Number(row?.rows), ids: Number(row?.ids) };
}

describe('overload in the embedded default', () => {
  it('holds the pipeline back while the redirect is busy, spools what the bounds cannot hold, then stores every click once', async () => {
    const codecs = createCodecs();
    const metrics = createMetrics();
    const bus = new InProcessBus({ logger, metrics, maxPendingMessages: 500 });
    let busy = true;
    bus.yieldTo(() => busy, [TOPICS.clicksRaw, TOPICS.clicksEnriched]);
    const context = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
    const enricher = await startEnricher({ bus, codecs, context, logger, metrics });
    const sink = await startSink({ bus, insert: store.insertTsv, codecs, logger, metrics, batchWaitMs: 50 });
    const spool = new Spool(join(mkdtempSync(join(tmpdir(), 'lt-overload-spool-')), 'clicks-raw.spool'));
    await spool.open();
    const clicks = new ClickBuffer({
      bus,
      codec: codecs.clickEvent,
      logger,
      metrics,
      maxEvents: 1_000,
      spool,
      flushSize: 100,
    });
    clicks.start();

    const total = 6_000;
    for (let i = 0; i < total; i++) {
      clicks.push(
        clickEvent({ click_id: clickId(i), ts: Date.now(), slug: 'flood', ip: `81.2.${i % 200}.7` }),
      );
      // Requests arrive over time: the event loop turns between them.
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 1));
    }
    await waitFor(
      async () => (await spool.readAll()).length,
      (n) => n > 0,
      5_000,
    );
    // Held back: nothing stored yet; the bus at its bound, memory at its own, the rest on disk.
    expect((await stored('flood')).rows).toBe(0);
    expect(bus.pending(TOPICS.clicksRaw)).toBeLessThanOrEqual(600);
    expect(clicks.size).toBeLessThanOrEqual(2_000);
    expect((await metrics.busYieldSeconds.get()).values.length).toBeGreaterThan(0);

    busy = false;
    const counts = await waitFor(
      () => stored('flood'),
      (c) => c.rows >= total,
      60_000,
      100,
    );
    expect(counts).toEqual({ rows: total, ids: total });
    expect((await metrics.redirectEventsDropped.get()).values).toEqual([]);
    expect((await metrics.redirectEventsSpooled.get()).values[0]?.value).toBeGreaterThan(0);
    await waitFor(
      async () => spool.size,
      (bytes) => bytes === 0,
      5_000,
    );

    await clicks.stop();
    await bus.idle();
    await enricher.stop();
    await sink.stop();
    await bus.close();
  });
});
