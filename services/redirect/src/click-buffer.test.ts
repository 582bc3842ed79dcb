import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Bus, type BusMessage, InProcessBus, type PublishOptions } from '@linktrack/bus';
import { type ClickEvent, createCodecs } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { clickEvent, clickId } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { ClickBuffer } from './click-buffer.js';
import { Spool } from './spool.js';

const logger = createLogger('silent');
const { clickEvent: codec } = createCodecs();

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function event(i: number): ClickEvent {
  return clickEvent({ click_id: clickId(i), ts: Date.now(), slug: 's', ip: `198.51.100.${i % 250}` });
}

/** A bus whose publish fails whenever `fails()` says so: a broker outage as the buffer sees it. */
function flakyBus(inner: InProcessBus, fails: () => boolean): Bus {
  return {
    kind: 'in-process',
    publish: (topic: string, messages: BusMessage[]) =>
      fails() ? Promise.reject(new Error('broker unreachable')) : inner.publish(topic, messages),
    publishFrames: (topic: string, frames: Buffer, options?: PublishOptions) =>
      fails() ? Promise.reject(new Error('broker unreachable')) : inner.publishFrames(topic, frames, options),
    subscribe: inner.subscribe.bind(inner),
    endOffsets: inner.endOffsets.bind(inner),
    close: inner.close.bind(inner),
  };
}

describe('ClickBuffer', () => {
  it('publishes buffered clicks in batches, keyed by IP prefix, as Avro single-object bytes', async () => {
    const bus = new InProcessBus({ logger });
    const received: { key: string; click: ClickEvent }[] = [];
    await bus.subscribe('clicks.raw', 'test', async (batch) => {
      for (const m of batch.messages) received.push({ key: String(m.key), click: codec.decode(m.value) });
    });
    const buffer = new ClickBuffer({
      bus,
      codec,
      logger,
      metrics: createMetrics(),
      maxEvents: 10_000,
      flushSize: 100,
    });
    const sent = Array.from({ length: 1_234 }, (_, i) => event(i));
    for (const e of sent) buffer.push(e);
    await buffer.stop();
    await bus.idle();
    expect(received).toHaveLength(1_234);
    expect(received[7]).toEqual({ key: '198.51.100.0/24', click: sent[7] });
    await bus.close();
  });

  it('keeps clicks when a publish fails and sends them on the next flush', async () => {
    const bus = new InProcessBus({ logger });
    const buffer = new ClickBuffer({ bus, codec, logger, metrics: createMetrics(), maxEvents: 100 });
    await bus.close(); // a closed bus rejects every publish
    buffer.push(event(1));
    await buffer.flush();
    expect(buffer.size).toBe(1);
  });

  it('counts clicks dropped once the buffer is full, instead of growing without bound', async () => {
    const bus = new InProcessBus({ logger });
    const metrics = createMetrics();
    const buffer = new ClickBuffer({ bus, codec, logger, metrics, maxEvents: 100 });
    for (let i = 0; i < 150; i++) buffer.push(event(i));
    expect(buffer.size).toBe(100);
    const dropped = await metrics.redirectEventsDropped.get();
    expect(dropped.values).toEqual([{ labels: { reason: 'buffer_full' }, value: 50 }]);
    await buffer.stop(100);
    await bus.close();
  });

  it('spools to disk while the transport is down and replays in order, before newer clicks', async () => {
    const inner = new InProcessBus({ logger });
    let down = true;
    const bus = flakyBus(inner, () => down);
    const received: string[] = [];
    await inner.subscribe('clicks.raw', 'test', async (b) => {
      for (const m of b.messages) received.push(codec.decode(m.value).click_id);
    });
    const spool = new Spool(join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool'));
    await spool.open();
    const metrics = createMetrics();
    const buffer = new ClickBuffer({ bus, codec, logger, metrics, maxEvents: 1_000, spool, flushSize: 50 });
    const first = Array.from({ length: 120 }, (_, i) => event(i));
    for (const e of first) buffer.push(e);
    await buffer.flush();
    expect(buffer.size).toBe(0);
    expect(spool.size).toBeGreaterThan(0);
    expect((await spool.readAll()).length).toBe(120);

    down = false;
    const later = Array.from({ length: 30 }, (_, i) => event(1_000 + i));
    for (const e of later) buffer.push(e);
    const deadline = Date.now() + 10_000;
    while (received.length < 150 && Date.now() < deadline) {
      await buffer.flush();
      await inner.idle();
      if (received.length < 150) await new Promise((r) => setTimeout(r, 50));
    }
    expect(received).toEqual([...first, ...later].map((e) => e.click_id));
    expect(spool.size).toBe(0);
    const spooled = (await metrics.redirectEventsSpooled.get()).values[0]?.value ?? 0;
    expect(spooled).toBeGreaterThanOrEqual(120);
    expect((await metrics.redirectEventsReplayed.get()).values[0]?.value).toBe(spooled);
    await buffer.stop();
    await inner.close();
  });

  it('resumes an interrupted replay where it stopped: in order, nothing twice', async () => {
    const inner = new InProcessBus({ logger });
    let calls = 0;
    let failCall = Number.POSITIVE_INFINITY;
    let down = true;
    const bus = flakyBus(inner, () => {
      calls += 1;
      return down || calls === failCall;
    });
    const received: string[] = [];
    await inner.subscribe('clicks.raw', 'test', async (b) => {
      for (const m of b.messages) received.push(codec.decode(m.value).click_id);
    });
    const spool = new Spool(join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool'));
    await spool.open();
    const buffer = new ClickBuffer({
      bus,
      codec,
      logger,
      metrics: createMetrics(),
      maxEvents: 1_000,
      spool,
      flushSize: 50,
    });
    const events = Array.from({ length: 170 }, (_, i) => event(i));
    for (const e of events) buffer.push(e);
    await buffer.flush();
    expect((await spool.readAll()).length).toBe(170);

    // Back up, but the second replay batch fails: the first 50 are sent, 120 stay spooled.
    down = false;
    failCall = calls + 2;
    const deadline = Date.now() + 10_000;
    while (received.length < 170 && Date.now() < deadline) {
      await buffer.flush();
      await inner.idle();
      if (received.length === 50) expect((await spool.readAll()).length).toBe(120);
      if (received.length < 170) await new Promise((r) => setTimeout(r, 50));
    }
    expect(received).toEqual(events.map((e) => e.click_id));
    expect(spool.size).toBe(0);
    await buffer.stop();
    await inner.close();
  });

  it('spools only the client network, in a private file, up to its size cap', async () => {
    const bus = flakyBus(new InProcessBus({ logger }), () => true);
    const path = join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'spool', 'clicks.spool');
    const cap = 20_000;
    const spool = new Spool(path, cap);
    await spool.open();
    const metrics = createMetrics();
    const buffer = new ClickBuffer({ bus, codec, logger, metrics, maxEvents: 10_000, spool });
    const sent = Array.from({ length: 500 }, (_, i) => ({ ...event(i), ip: `203.0.113.${(i % 200) + 7}` }));
    for (const e of sent) buffer.push(e);
    await buffer.flush();

    const files = readdirSync(dirname(path)).map((f) => join(dirname(path), f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    expect(spool.size).toBeLessThanOrEqual(cap);
    const kept = (await spool.readAll()).map((m) => codec.decode(m.value));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(500);
    expect(new Set(kept.map((c) => c.ip))).toEqual(new Set(['203.0.113.0']));
    for (const file of files) expect(readFileSync(file).includes(Buffer.from('203.0.113.7'))).toBe(false);
    const dropped = (await metrics.redirectEventsDropped.get()).values;
    expect(dropped).toEqual([{ labels: { reason: 'spool_full' }, value: 500 - kept.length }]);
    await buffer.stop(100);
  });

  it('spools full client IPs only when raw IPs are opted into', async () => {
    const bus = flakyBus(new InProcessBus({ logger }), () => true);
    const spool = new Spool(join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool'));
    await spool.open();
    const buffer = new ClickBuffer({
      bus,
      codec,
      logger,
      metrics: createMetrics(),
      maxEvents: 100,
      spool,
      storeRawIp: true,
    });
    buffer.push({ ...event(1), ip: '203.0.113.77' });
    await buffer.flush();
    expect((await spool.readAll()).map((m) => codec.decode(m.value).ip)).toEqual(['203.0.113.77']);
    await buffer.stop(100);
  });

  it('with the bus full, keeps clicks in memory, then in the spool, and delivers all in order once it drains', async () => {
    const bus = new InProcessBus({ logger, maxPendingMessages: 200 });
    // A consumer that takes nothing until released: the pipeline behind the redirect.
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    const received: string[] = [];
    await bus.subscribe('clicks.raw', 'slow', async (b) => {
      await released;
      for (const m of b.messages) received.push(codec.decode(m.value).click_id);
    });
    const spool = new Spool(join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool'));
    await spool.open();
    const metrics = createMetrics();
    const buffer = new ClickBuffer({ bus, codec, logger, metrics, maxEvents: 500, spool, flushSize: 50 });
    const sent = Array.from({ length: 3_000 }, (_, i) => event(i));
    for (const [i, e] of sent.entries()) {
      buffer.push(e);
      // Requests arrive over time: the event loop turns, and the disk takes its writes.
      if (i % 50 === 49) {
        await buffer.flush();
        await new Promise((r) => setTimeout(r, 1));
      }
    }
    await buffer.flush();
    await until(() => buffer.size <= 500);
    // The bus holds its bound (a batch past it at most), memory its own (as many again on their
    // way to disk), the rest waits on disk.
    expect(bus.pending('clicks.raw')).toBeLessThanOrEqual(250);
    expect(buffer.size).toBeLessThanOrEqual(500 + 50);
    expect((await spool.readAll()).length).toBeGreaterThan(1_500);
    expect((await metrics.redirectEventsDropped.get()).values).toEqual([]);

    release();
    const deadline = Date.now() + 10_000;
    while (received.length < 3_000 && Date.now() < deadline) {
      await buffer.flush();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(received).toEqual(sent.map((e) => e.click_id));
    expect(spool.size).toBe(0);
    expect((await metrics.redirectEventsDropped.get()).values).toEqual([]);
    // Drained: new clicks go through memory again, not the disk.
    const spooled = (await metrics.redirectEventsSpooled.get()).values[0]?.value;
    buffer.push(event(5_000));
    await buffer.flush();
    await bus.idle();
    expect(received.at(-1)).toBe(event(5_000).click_id);
    expect((await metrics.redirectEventsSpooled.get()).values[0]?.value).toBe(spooled);
    await buffer.stop();
    await bus.close();
  });

  it('without a spool, a full bus keeps clicks in memory up to the bound and counts the rest as dropped', async () => {
    const bus = new InProcessBus({ logger, maxPendingMessages: 100 });
    await bus.subscribe('clicks.raw', 'stuck', () => new Promise<void>(() => {}));
    const metrics = createMetrics();
    const buffer = new ClickBuffer({ bus, codec, logger, metrics, maxEvents: 300, flushSize: 50 });
    for (let i = 0; i < 1_000; i++) {
      buffer.push(event(i));
      if (i % 50 === 49) await buffer.flush();
    }
    expect(bus.pending('clicks.raw')).toBeLessThanOrEqual(150);
    expect(buffer.size).toBe(300);
    const dropped = (await metrics.redirectEventsDropped.get()).values;
    expect(dropped).toEqual([
      { labels: { reason: 'buffer_full' }, value: 1_000 - 300 - bus.pending('clicks.raw') },
    ]);
    await buffer.stop(50);
  });

  it('replays clicks an earlier run left in the spool before new ones', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lt-spool-')), 'clicks.spool');
    const down = flakyBus(new InProcessBus({ logger }), () => true);
    const first = new Spool(path);
    await first.open();
    const before = new ClickBuffer({
      bus: down,
      codec,
      logger,
      metrics: createMetrics(),
      maxEvents: 100,
      spool: first,
    });
    for (let i = 0; i < 30; i++) before.push(event(i));
    await before.stop(50);
    expect((await first.readAll()).length).toBe(30);

    const bus = new InProcessBus({ logger });
    const received: string[] = [];
    await bus.subscribe('clicks.raw', 'test', async (b) => {
      for (const m of b.messages) received.push(codec.decode(m.value).click_id);
    });
    const spool = new Spool(path);
    await spool.open();
    const after = new ClickBuffer({ bus, codec, logger, metrics: createMetrics(), maxEvents: 100, spool });
    after.start();
    after.push(event(100));
    const deadline = Date.now() + 5_000;
    while (received.length < 31 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual(
      [...Array.from({ length: 30 }, (_, i) => event(i)), event(100)].map((e) => e.click_id),
    );
    await after.stop();
    await bus.close();
  });
});
