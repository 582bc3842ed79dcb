import { type Bus, type BusMessage, type ConsumedMessage, TOPICS } from '@linktrack/bus';
import { type Codecs, deadLetterFor, type WriterSchemaFollower } from '@linktrack/schema';
import type { Logger, Metrics } from '@linktrack/telemetry';
import type { EnrichContext } from './enrichments/index.js';
import { createEnrichPipeline, type EnrichPipeline } from './pipeline.js';

export interface EnricherDeps {
  bus: Bus;
  codecs: Codecs;
  /** Writer schemas announced by other processes; absent when every writer runs our version. */
  schemas?: WriterSchemaFollower;
  context: EnrichContext;
  logger: Logger;
  metrics: Metrics;
}

export interface Enricher {
  stop(): Promise<void>;
}

/** Consumes raw clicks and publishes enriched ones; a batch commits only after both publishes are acknowledged. */
export async function startEnricher(deps: EnricherDeps): Promise<Enricher> {
  const pipeline = createEnrichPipeline({ codecs: deps.codecs, context: deps.context });
  const subscription = await deps.bus.subscribe(
    TOPICS.clicksRaw,
    'enricher',
    async (batch) => {
      // A newer redirect may write before its schema reached us: catch up before judging bytes unreadable.
      if (deps.schemas && batch.messages.some((m) => !deps.codecs.clickEvent.knowsWriter(m.value)))
        await deps.schemas.catchUp();
      const { enriched, dead } = runBatch(pipeline, batch.messages, deps);
      await deps.bus.publish(TOPICS.clicksEnriched, enriched);
      await deps.bus.publish(TOPICS.dlq, dead);
    },
    { maxBatchSize: 2_000, maxWaitMs: 0 },
  );
  deps.logger.info({ event: 'enricher_started' }, 'enricher consuming raw clicks');
  return { stop: () => subscription.close() };
}

function runBatch(pipeline: EnrichPipeline, messages: ConsumedMessage[], deps: EnricherDeps) {
  const enriched: BusMessage[] = [];
  const dead: BusMessage[] = [];
  for (const message of messages) {
    const result = pipeline(message.value);
    if (result.kind === 'ok') {
      // Same key as the raw event: one visitor's clicks stay in one partition.
      enriched.push({ key: message.key, value: result.value });
      continue;
    }
    deps.metrics.pipelineResults.inc({ pipeline: 'enricher', result: result.kind, reason: result.reason });
    if (result.kind === 'dlq') {
      const stage = `enricher.${result.stage}`;
      deps.logger.warn(
        {
          event: 'click_dead_lettered',
          stage,
          reason: result.reason,
          offset: message.offset,
          err: result.error,
        },
        'click sent to the dead-letter queue',
      );
      dead.push({
        key: message.key,
        value: deps.codecs.deadLetter.encode(deadLetterFor(message, stage, result.reason, result.error)),
      });
    }
  }
  if (enriched.length > 0)
    deps.metrics.pipelineResults.inc({ pipeline: 'enricher', result: 'ok', reason: '' }, enriched.length);
  return { enriched, dead };
}
