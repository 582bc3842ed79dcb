import type { Codec } from './codec.js';

/**
 * Writer schemas travel on their own compacted topic, keyed by fingerprint, so
 * that a reader on an older version can resolve a newer writer's bytes (and the
 * other way round) without a deploy in lockstep. The bus is described
 * structurally here so that this package does not depend on the transport.
 */
export const SCHEMAS_TOPIC = 'schemas';

interface SchemaBus {
  publish(topic: string, messages: { key: Buffer | null; value: Buffer }[]): Promise<void>;
  subscribe(
    topic: string,
    group: string,
    handler: (batch: { partition: number; messages: { value: Buffer; offset: string }[] }) => Promise<void>,
    options?: { fromBeginning?: boolean; commit?: boolean },
  ): Promise<{ close(): Promise<void> }>;
  endOffsets(topic: string): Promise<Map<number, string>>;
}

/** Publishes the schemas these codecs write; every writer does this at start. */
export async function announceWriterSchemas(bus: SchemaBus, codecs: Codec<unknown>[]): Promise<void> {
  await bus.publish(
    SCHEMAS_TOPIC,
    codecs.map((c) => ({ key: Buffer.from(c.fingerprint), value: Buffer.from(c.canonicalSchema) })),
  );
}

export interface WriterSchemaFollower {
  /** Resolves once every schema published so far has been registered (bounded by `timeoutMs`). */
  catchUp(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Registers every announced schema with the codec of the same record name.
 * A schema that does not parse or cannot be resolved is reported and skipped:
 * messages written with it then go to the dead-letter queue, not into a crash.
 */
export async function followWriterSchemas(
  bus: SchemaBus,
  codecs: Codec<unknown>[],
  group: string,
  onError: (err: Error, schema: string) => void,
): Promise<WriterSchemaFollower> {
  const byName = new Map(codecs.map((c) => [c.name, c]));
  /** Next offset to read, per partition: compaction leaves gaps, so offsets, not counts. */
  const next = new Map<number, bigint>();
  const subscription = await bus.subscribe(
    SCHEMAS_TOPIC,
    group,
    async (batch) => {
      for (const message of batch.messages) {
        const text = message.value.toString();
        try {
          const schema = JSON.parse(text) as { name?: string };
          byName.get(schema.name ?? '')?.registerWriterSchema(schema);
        } catch (err) {
          onError(err as Error, text.slice(0, 200));
        }
        next.set(batch.partition, BigInt(message.offset) + 1n);
      }
    },
    { fromBeginning: true, commit: false },
  );

  async function catchUp(timeoutMs = 5_000): Promise<void> {
    const end = await bus.endOffsets(SCHEMAS_TOPIC);
    const caughtUp = () => [...end].every(([p, o]) => BigInt(o) === 0n || (next.get(p) ?? 0n) >= BigInt(o));
    const deadline = Date.now() + timeoutMs;
    while (!caughtUp() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  return { catchUp, close: () => subscription.close() };
}

/**
 * A newer writer may write before its schema reached this process: when a
 * batch holds bytes `codec` cannot resolve yet, catch up on the schemas topic
 * before judging them unreadable. Every consumer calls this before decoding.
 */
export async function catchUpOnWriters(
  schemas: WriterSchemaFollower | undefined,
  codec: Pick<Codec<unknown>, 'knowsWriter'>,
  messages: readonly { value: Uint8Array }[],
): Promise<void> {
  if (schemas && messages.some((m) => !codec.knowsWriter(m.value))) await schemas.catchUp();
}
