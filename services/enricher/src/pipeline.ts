import { createDecodeStep, createEncodeStep, createPipeline, type Pipeline } from '@linktrack/pipeline';
import type { Codecs } from '@linktrack/streams';
import type { Metrics } from '@linktrack/telemetry';
import type { EnrichContext } from './enrichments/index.js';
import { createEnrichStep } from './steps/enrich-step.js';
import { createValidateStep } from './steps/validate-step.js';

export interface PipelineDeps {
  codecs: Pick<Codecs, 'clickEvent' | 'enrichedClick'>;
  context: EnrichContext;
  metrics: Metrics;
  now?: () => number;
}

/** Raw click bytes in, encoded EnrichedClick bytes out. */
export type EnrichPipeline = Pipeline<Buffer, Buffer>;

/**
 * The order matters, and each step relies on the ones before it:
 * 1. decode   - everything after works on a typed ClickEvent;
 * 2. validate - enrichments assume a well-formed event (UUID, sane ts, GET/HEAD);
 * 3. enrich   - ip prefix, geo, device, then bot (bot overrides device_type), UTM, referrer;
 * 4. encode   - the Avro schema is the last check before the event leaves.
 */
export function createEnrichPipeline(deps: PipelineDeps): EnrichPipeline {
  return createPipeline<Buffer>('enricher', deps.metrics)
    .pipe(createDecodeStep(deps.codecs.clickEvent))
    .pipe(createValidateStep({ now: deps.now }))
    .pipe(createEnrichStep({ context: deps.context }))
    .pipe(createEncodeStep(deps.codecs.enrichedClick));
}
