import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { encodeFrames } from './frames.js';
import { InProcessBus } from './in-process-bus.js';
import type { Batch } from './types.js';

const logger = createLogger('silent');
const msg = (key: string, value: string) => ({ key: Buffer.from(key), value: Buffer.from(value) });

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setImmediate(r));
  }
}

describe('InProcessBus', () => {
  it('delivers every message once per group, in order, in batches no larger than asked', async () => {
    const bus = new InProcessBus({ logger });
    const seen: Record<string, string[]> = { a: [], b: [] };
    const sizes: number[] = [];
    for (const group of ['a', 'b'] as const) {
      await bus.subscribe(
        't',
        group,
        async (batch: Batch) => {
          sizes.push(batch.messages.length);
          seen[group]?.push(...batch.messages.map((m) => m.value.toString()));
        },
        { maxBatchSize: 7 },
      );
    }
    const values = Array.from({ length: 50 }, (_, i) => `v${i}`);
    await bus.publish(
      't',
      values.map((v) => msg('k', v)),
    );
    await bus.idle();
    expect(seen.a).toEqual(values);
    expect(seen.b).toEqual(values);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    await bus.close();
  });

  it('redelivers a batch whose handler failed and commits only after success', async () => {
    const bus = new InProcessBus({ logger });
    let calls = 0;
    const committed: string[] = [];
    await bus.subscribe('t', 'g', async (batch) => {
      calls += 1;
      if (calls === 1) throw new Error('ClickHouse is down');
      committed.push(...batch.messages.map((m) => m.value.toString()));
    });
    await bus.publish('t', [msg('k', 'one'), msg('k', 'two')]);
    await bus.idle();
    expect(calls).toBe(2);
    expect(committed).toEqual(['one', 'two']);
    await bus.close();
  });

  it('holds a partial batch until maxWaitMs, then hands it over', async () => {
    const bus = new InProcessBus({ logger });
    const deliveredAt: number[] = [];
    await bus.subscribe('t', 'g', async () => void deliveredAt.push(Date.now()), {
      maxBatchSize: 1_000,
      maxWaitMs: 150,
    });
    const sentAt = Date.now();
    await bus.publish('t', [msg('k', 'x')]);
    await until(() => deliveredAt.length === 1);
    expect((deliveredAt[0] as number) - sentAt).toBeGreaterThanOrEqual(140);
    await bus.close();
  });

  it('keeps persistent topics across restarts, compacted to the latest value per key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lt-bus-'));
    const first = new InProcessBus({ logger, dataDir, persistentTopics: ['links'] });
    await first.publish('links', [msg('a', 'a1'), msg('b', 'b1'), msg('a', 'a2')]);
    await first.close();

    const second = new InProcessBus({ logger, dataDir, persistentTopics: ['links'] });
    const replayed: string[] = [];
    await second.subscribe(
      'links',
      'index',
      async (b) => void replayed.push(...b.messages.map((m) => `${m.value}`)),
    );
    await second.idle();
    expect(replayed).toEqual(['b1', 'a2']);
    await second.close();
  });

  it('refuses a second consumer for the same group and topic', async () => {
    const bus = new InProcessBus({ logger });
    await bus.subscribe('t', 'g', async () => {});
    await expect(bus.subscribe('t', 'g', async () => {})).rejects.toMatchObject({
      code: 'LT_BUS_GROUP_TAKEN',
    });
    await bus.close();
  });

  it('bounds a topic: a publisher waits for room, or is refused at once when it asks not to wait', async () => {
    const bus = new InProcessBus({ logger, maxPendingMessages: 10 });
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const seen: string[] = [];
    await bus.subscribe(
      't',
      'slow',
      async (b) => {
        await gate;
        seen.push(...b.messages.map((m) => `${m.value}`));
      },
      { maxBatchSize: 5 },
    );
    const values = (from: number, n: number) => Array.from({ length: n }, (_, i) => msg('k', `v${from + i}`));
    await bus.publish('t', values(0, 10));
    expect(bus.pending('t')).toBe(10);
    await expect(bus.publish('t', values(10, 1), { refuseWhenFull: true })).rejects.toMatchObject({
      code: 'LT_BUS_FULL',
      retriable: true,
    });
    let waited = false;
    const waiting = bus.publish('t', values(10, 5)).then(() => {
      waited = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(waited).toBe(false);
    expect(bus.pending('t')).toBe(10);
    release();
    await waiting;
    await bus.idle();
    expect(seen).toEqual(Array.from({ length: 15 }, (_, i) => `v${i}`));
    expect(bus.pending('t')).toBe(0);
    await bus.close();
  });

  it('lets a publisher waiting for room go when the bus closes', async () => {
    const bus = new InProcessBus({ logger, maxPendingMessages: 1 });
    await bus.subscribe('t', 'stuck', () => new Promise<void>(() => {}));
    await bus.publish('t', [msg('k', 'a')]);
    const waiting = bus.publish('t', [msg('k', 'b')]);
    await bus.subscribe('other', 'g', async () => {});
    void bus.close();
    await expect(waiting).rejects.toMatchObject({ code: 'LT_BUS_CLOSED' });
  });

  it('holds deliveries on yielding topics while the signal says so, then catches up', async () => {
    const metrics = createMetrics();
    const bus = new InProcessBus({ logger, metrics });
    let busy = true;
    bus.yieldTo(() => busy, ['pipeline']);
    const pipeline: string[] = [];
    const registry: string[] = [];
    await bus.subscribe(
      'pipeline',
      'g',
      async (b) => void pipeline.push(...b.messages.map((m) => `${m.value}`)),
    );
    await bus.subscribe(
      'links',
      'g',
      async (b) => void registry.push(...b.messages.map((m) => `${m.value}`)),
    );
    await bus.publish('pipeline', [msg('k', 'p1'), msg('k', 'p2')]);
    await bus.publish('links', [msg('k', 'l1')]);
    await until(() => registry.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(pipeline).toEqual([]);
    busy = false;
    await until(() => pipeline.length === 2);
    expect(pipeline).toEqual(['p1', 'p2']);
    const held = (await metrics.busYieldSeconds.get()).values.find((v) => v.labels.topic === 'pipeline');
    expect(held?.value).toBeGreaterThan(0.05);
    await bus.close();
  });

  it('publishes a frames buffer as its messages, keys and values intact', async () => {
    const bus = new InProcessBus({ logger });
    const seen: { key: string | null; value: string }[] = [];
    await bus.subscribe('t', 'g', async (b) => {
      for (const m of b.messages) seen.push({ key: m.key ? `${m.key}` : null, value: `${m.value}` });
    });
    await bus.publishFrames('t', encodeFrames([msg('a', 'one'), { key: null, value: Buffer.from('two') }]));
    await bus.idle();
    expect(seen).toEqual([
      { key: 'a', value: 'one' },
      { key: null, value: 'two' },
    ]);
    await bus.close();
  });
});
