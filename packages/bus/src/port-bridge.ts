import type { MessagePort } from 'node:worker_threads';
import { BusError, busErrorCode } from './errors.js';
import { encodeFrames } from './frames.js';
import type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  PublishOptions,
  SubscribeOptions,
  Subscription,
} from './types.js';

/**
 * Carries the Bus interface across a worker_threads MessagePort, so a service
 * on its own thread (the redirect, in the embedded default) uses the process's
 * in-process bus with the same publish/subscribe/commit contract.
 */
type Request =
  // One buffer per batch: structured clone copies it once, instead of an object per message.
  | { kind: 'publishFrames'; id: number; topic: string; frames: Uint8Array; refuseWhenFull: boolean }
  | {
      kind: 'subscribe';
      id: number;
      subscription: number;
      topic: string;
      group: string;
      options: SubscribeOptions;
    }
  | { kind: 'unsubscribe'; id: number; subscription: number }
  | { kind: 'endOffsets'; id: number; topic: string }
  | { kind: 'batchDone'; batch: number; error: string | null };

type Reply =
  | { kind: 'reply'; id: number; error: string | null; code?: string; value?: unknown }
  | { kind: 'batch'; batch: number; subscription: number; data: Batch };

/** The worker side: a Bus whose every call is served by the thread that owns the real one. */
export class PortBus implements Bus {
  readonly kind = 'in-process' as const;
  private nextId = 1;
  private nextSubscription = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly handlers = new Map<number, BatchHandler>();

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: Reply) => void this.onMessage(message));
  }

  async publish(topic: string, messages: BusMessage[], options?: PublishOptions): Promise<void> {
    if (messages.length === 0) return;
    await this.publishFrames(topic, encodeFrames(messages), options);
  }

  async publishFrames(topic: string, frames: Buffer, options: PublishOptions = {}): Promise<void> {
    if (frames.length === 0) return;
    await this.call({
      kind: 'publishFrames',
      topic,
      frames,
      refuseWhenFull: options.refuseWhenFull === true,
    });
  }

  async subscribe(
    topic: string,
    group: string,
    handler: BatchHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    // The handler is in place before the owner subscribes: its first batch may arrive before the reply.
    const subscription = this.nextSubscription++;
    this.handlers.set(subscription, handler);
    try {
      await this.call({ kind: 'subscribe', subscription, topic, group, options });
    } catch (err) {
      this.handlers.delete(subscription);
      throw err;
    }
    return {
      close: async () => {
        await this.call({ kind: 'unsubscribe', subscription });
        this.handlers.delete(subscription);
      },
    };
  }

  async endOffsets(topic: string): Promise<Map<number, string>> {
    return new Map((await this.call({ kind: 'endOffsets', topic })) as Array<[number, string]>);
  }

  async close(): Promise<void> {
    this.port.close();
  }

  private call(request: DistributiveOmit<Exclude<Request, { kind: 'batchDone' }>, 'id'>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.port.postMessage({ ...request, id });
    });
  }

  private async onMessage(message: Reply): Promise<void> {
    if (message.kind === 'reply') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error === null) waiter?.resolve(message.value);
      // The owner's code crosses too: LT_BUS_FULL asks the caller to keep its messages and retry.
      else waiter?.reject(new BusError(busErrorCode(message.code), message.error, true));
      return;
    }
    const handler = this.handlers.get(message.subscription);
    let error: string | null = handler ? null : 'no handler for subscription';
    try {
      await handler?.(revive(message.data));
    } catch (err) {
      error = (err as Error).message;
    }
    this.port.postMessage({ kind: 'batchDone', batch: message.batch, error } satisfies Request);
  }
}

/** The owner side: serves a PortBus's calls from `bus`. Returns a function that closes its subscriptions. */
export function servePortBus(bus: Bus, port: MessagePort): () => Promise<void> {
  const subscriptions = new Map<number, Subscription>();
  const batches = new Map<number, (error: string | null) => void>();
  let nextBatch = 1;

  const reply = (id: number, error: Error | null, value?: unknown) =>
    port.postMessage({
      kind: 'reply',
      id,
      error: error ? error.message : null,
      code: (error as { code?: string } | null)?.code,
      value,
    } satisfies Reply);

  port.on('message', async (request: Request) => {
    if (request.kind === 'batchDone') {
      batches.get(request.batch)?.(request.error);
      batches.delete(request.batch);
      return;
    }
    try {
      reply(request.id, null, await serve(request));
    } catch (err) {
      reply(request.id, err as Error);
    }
  });

  async function serve(request: Exclude<Request, { kind: 'batchDone' }>): Promise<unknown> {
    switch (request.kind) {
      case 'publishFrames':
        return bus.publishFrames(request.topic, asBuffer(request.frames), {
          refuseWhenFull: request.refuseWhenFull,
        });
      case 'endOffsets':
        return [...(await bus.endOffsets(request.topic))];
      case 'unsubscribe':
        await subscriptions.get(request.subscription)?.close();
        subscriptions.delete(request.subscription);
        return undefined;
      case 'subscribe': {
        const id = request.subscription;
        // The worker's handler result decides the commit: the batch is acknowledged only after it succeeded there.
        const handler: BatchHandler = (data) =>
          new Promise((resolve, reject) => {
            const batch = nextBatch++;
            batches.set(batch, (error) => (error === null ? resolve() : reject(new Error(error))));
            port.postMessage({ kind: 'batch', batch, subscription: id, data } satisfies Reply);
          });
        subscriptions.set(id, await bus.subscribe(request.topic, request.group, handler, request.options));
        return id;
      }
    }
  }

  return async () => {
    await Promise.all([...subscriptions.values()].map((s) => s.close()));
    subscriptions.clear();
  };
}

/** Structured clone turns Buffers into plain Uint8Arrays; make them Buffers again without copying. */
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function revive<T extends { key: Uint8Array | null; value: Uint8Array } | Batch>(item: T): T {
  if ('messages' in item) return { ...item, messages: item.messages.map(revive) };
  return { ...item, key: item.key ? asBuffer(item.key) : null, value: asBuffer(item.value) };
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
