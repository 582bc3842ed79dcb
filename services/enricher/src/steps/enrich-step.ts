import type { Step } from '@linktrack/pipeline';
import { dlq, ok } from '@linktrack/pipeline';
import type { ClickEvent, EnrichedClick } from '@linktrack/streams';
import { baseOf, ENRICHMENTS, type EnrichContext, type Enrichment } from '../enrichments/index.js';

/** Runs every enrichment on a click; one that throws dead-letters the click under its own name. */
export function createEnrichStep(deps: {
  context: EnrichContext;
  enrichments?: readonly Enrichment[];
}): Step<ClickEvent, EnrichedClick> {
  const enrichments = deps.enrichments ?? ENRICHMENTS;
  return {
    name: 'enrich',
    run(click) {
      const out = baseOf(click);
      // One try around the loop, not one per enrichment: `current` names whichever threw.
      let current: Enrichment | undefined;
      try {
        for (current of enrichments) Object.assign(out, current.run(click, deps.context, out));
      } catch (err) {
        return dlq(`${current?.name}_failed`, err);
      }
      return ok(out);
    },
  };
}
