import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
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
});
