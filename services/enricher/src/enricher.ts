import type { Bus } from '@linktrack/bus';
import { createDeadLetters } from '@linktrack/pipeline';
import { type Codecs, catchUpOnWriters, GROUPS, TOPICS, type WriterSchemaFollower } from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';
import type { EnrichContext } from './enrichments/index.js';
import { createEnrichPipeline } from './pipeline.js';

export interface EnricherDeps {
  bus: Bus;
  codecs: Codecs;
  /** Writer schemas announced by other processes; absent when every writer runs our version. */
  schemas?: WriterSchemaFollower;
  context: EnrichContext;
  logger: Logger;
  metrics: Metrics;
  /**
   * Keep raw clicks on the topic after reading them (LINKTRACK_STORE_RAW_IP).
   * By default what was read and committed is deleted from the raw topic: its
   * full client addresses go no further than the enricher.
   */
  keepRawClicks?: boolean;
}

export interface Enricher {
  stop(): Promise<void>;
}

/** Consumes raw clicks and publishes enriched ones; a batch commits only after both publishes are acknowledged. */
export async function startEnricher(deps: EnricherDeps): Promise<Enricher> {
  const pipeline = createEnrichPipeline(deps);
  const deadLetters = createDeadLetters({
    bus: deps.bus,
    codec: deps.codecs.deadLetter,
    logger: deps.logger,
    service: 'enricher',
  });
  const subscription = await deps.bus.subscribe(
    TOPICS.clicksRaw,
    GROUPS.enricher,
    async (batch) => {
      await catchUpOnWriters(deps.schemas, deps.codecs.clickEvent, batch.messages);
      const { sources, values, failed } = pipeline.run(batch.messages, (m) => m.value);
      // Same key as the raw event: one visitor's clicks stay in one partition.
      await deps.bus.publish(
        TOPICS.clicksEnriched,
        values.map((value, i) => ({ key: sources[i]?.key ?? null, value })),
      );
      await deadLetters(failed);
    },
    { maxBatchSize: 2_000, maxWaitMs: 0, deleteConsumed: deps.keepRawClicks !== true },
  );
  deps.logger.info({ event: 'enricher_started' }, 'enricher consuming raw clicks');
  return { stop: () => subscription.close() };
}
