import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import { type EnrichContext, enrichClick } from '../enrichments/index.js';
import { dlq, ok, type StepResult } from './result.js';

export function createEnrichStep(deps: { context: EnrichContext }) {
  return function enrich(click: ClickEvent): StepResult<EnrichedClick> {
    try {
      return ok(enrichClick(click, deps.context));
    } catch (err) {
      return dlq('enrich_failed', err);
    }
  };
}
