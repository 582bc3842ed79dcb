import { MessageChannel } from 'node:worker_threads';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { encodeFrames } from './frames.js';
import { InProcessBus } from './in-process-bus.js';
import { PortBus, servePortBus } from './port-bridge.js';

const logger = createLogger('silent');

describe('PortBus over a MessagePort', () => {
  it('publishes, subscribes and reports end offsets through the owning bus, committing on the remote result', async () => {
    const bus = new InProcessBus({ logger });
    const { port1, port2 } = new MessageChannel();
    const stopServing = servePortBus(bus, port1);
    const remote = new PortBus(port2);

    const ownerSeen: string[] = [];
    await bus.subscribe(
      't',
      'owner',
      async (b) => void ownerSeen.push(...b.messages.map((m) => m.value.toString())),
    );
    const remoteSeen: string[] = [];
    let calls = 0;
    await remote.subscribe('t', 'worker', async (b) => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      expect(Buffer.isBuffer(b.messages[0]?.value)).toBe(true);
      remoteSeen.push(...b.messages.map((m) => m.value.toString()));
    });

    await remote.publish('t', [{ key: Buffer.from('k'), value: Buffer.from('from-worker') }]);
    await bus.idle();
    expect(ownerSeen).toEqual(['from-worker']);
    // The first delivery failed in the worker, so the owner redelivered it.
    expect(calls).toBe(2);
    expect(remoteSeen).toEqual(['from-worker']);
    expect((await remote.endOffsets('t')).get(0)).toBe('1');

    await stopServing();
    port1.close();
    await bus.close();
  });

  it('delivers a backlog to a new remote subscription on the first try, before its reply arrives', async () => {
    const metrics = createMetrics();
    const bus = new InProcessBus({ logger, metrics });
    const { port1, port2 } = new MessageChannel();
    const stopServing = servePortBus(bus, port1);
    const remote = new PortBus(port2);
    await bus.publish('backlog', [{ key: null, value: Buffer.from('old') }]);

    const seen: string[] = [];
    await remote.subscribe(
      'backlog',
      'late',
      async (b) => void seen.push(...b.messages.map((m) => m.value.toString())),
    );
    await bus.idle();
    expect(seen).toEqual(['old']);
    // A batch that reached the worker before its handler would have failed and been redelivered.
    const { values } = await metrics.busHandlerFailures.get();
    expect(values.reduce((sum, v) => sum + v.value, 0)).toBe(0);

    await stopServing();
    port1.close();
    await bus.close();
  });

  it("carries the owner's LT_BUS_FULL back, so the worker keeps its batch and tries again", async () => {
    const bus = new InProcessBus({ logger, maxPendingMessages: 1 });
    await bus.subscribe('t', 'stuck', () => new Promise<void>(() => {}));
    const { port1, port2 } = new MessageChannel();
    const stopServing = servePortBus(bus, port1);
    const remote = new PortBus(port2);
    await remote.publish('t', [{ key: null, value: Buffer.from('first') }], { refuseWhenFull: true });
    await expect(
      remote.publishFrames('t', encodeFrames([{ key: null, value: Buffer.from('second') }]), {
        refuseWhenFull: true,
      }),
    ).rejects.toMatchObject({ code: 'LT_BUS_FULL', retriable: true });
    expect(bus.pending('t')).toBe(1);
    port1.close();
    void stopServing();
  });
});
