import type { Codecs } from '@linktrack/schema';
import type { EnrichContext } from './enrichments/index.js';
import { createDecodeStep } from './steps/decode-step.js';
import { createEncodeStep } from './steps/encode-step.js';
import { createEnrichStep } from './steps/enrich-step.js';
import type { StepResult } from './steps/result.js';
import { createValidateStep } from './steps/validate-step.js';

export interface PipelineDeps {
  codecs: Pick<Codecs, 'clickEvent' | 'enrichedClick'>;
  context: EnrichContext;
  now?: () => number;
}

/** A raw click in, its encoded EnrichedClick out, or why not. */
export type EnrichPipeline = (bytes: Buffer) => StepResult<Buffer> & { stage: string };

/**
 * The order is fixed here, and each step relies on the ones before it:
 * 1. decode   - everything after works on a typed ClickEvent;
 * 2. validate - enrichments assume a well-formed event (UUID, sane ts, GET/HEAD);
 * 3. enrich   - geo, device, then bot (bot overrides device_type), UTM, referrer;
 * 4. encode   - the Avro schema is the last check before the event leaves.
 */
export function createEnrichPipeline(deps: PipelineDeps): EnrichPipeline {
  const decode = createDecodeStep({ codec: deps.codecs.clickEvent });
  const validate = createValidateStep({ now: deps.now });
  const enrich = createEnrichStep({ context: deps.context });
  const encode = createEncodeStep({ codec: deps.codecs.enrichedClick });

  return (bytes) => {
    const decoded = decode(bytes);
    if (decoded.kind !== 'ok') return { ...decoded, stage: 'decode' };
    const valid = validate(decoded.value);
    if (valid.kind !== 'ok') return { ...valid, stage: 'validate' };
    const enriched = enrich(valid.value);
    if (enriched.kind !== 'ok') return { ...enriched, stage: 'enrich' };
    return { ...encode(enriched.value), stage: 'encode' };
  };
}
