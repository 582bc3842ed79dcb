import {
  createDecodeStep,
  createEncodeStep,
  createPipeline,
  ok,
  type Pipeline,
  type Step,
} from '@linktrack/pipeline';
import type { Codecs, EnrichedClick } from '@linktrack/streams';
import type { Metrics } from '@linktrack/telemetry';
import type { EnrichContext } from './enrichments/index.js';
import { createBurstStep } from './steps/burst-step.js';
import { createEnrichStep } from './steps/enrich-step.js';
import { createValidateStep } from './steps/validate-step.js';
import { createVerdictStep } from './steps/verdict-step.js';

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
 * 3. enrich   - ip prefix, geo, ASN, device, UTM, referrer, paid click id, visitor hash, then
 *               bot (it reads the ASN and referrer, and overrides device_type);
 * 4. burst    - a burst is seen only at its third click: it flags the earlier ones in the batch too;
 * 5. verdict  - counts the batch's final verdicts (a metric per batch, not per click);
 * 6. encode   - the Avro schema is the last check before the event leaves (after burst, which
 *               may revise events earlier in the batch).
 */
export function createEnrichPipeline(deps: PipelineDeps): EnrichPipeline {
  return createPipeline<Buffer>('enricher', deps.metrics)
    .pipe(createDecodeStep(deps.codecs.clickEvent))
    .pipe(createValidateStep({ now: deps.now }))
    .pipe(createEnrichStep({ context: deps.context }))
    .pipe(deps.context.bursts ? createBurstStep(deps.context.bursts) : passThrough('burst'))
    .pipe(createVerdictStep(deps.metrics))
    .pipe(createEncodeStep(deps.codecs.enrichedClick));
}

/** A step that changes nothing: where a step is turned off, the pipeline keeps its shape and metrics. */
function passThrough(name: string): Step<EnrichedClick, EnrichedClick> {
  return { name, run: ok };
}
