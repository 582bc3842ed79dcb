import type { ClickEvent, EnrichedClick } from '@linktrack/streams';
import type { EnrichContext } from './context.js';

/**
 * One enrichment: a pure function of the click, the shared resources and what
 * the enrichments before it found (read-only), returning the fields it fills.
 * Its name reaches the dead letter when it throws (reason `<name>_failed`),
 * so a failure points at the enrichment.
 */
export interface Enrichment {
  readonly name: string;
  run(click: ClickEvent, ctx: EnrichContext, soFar: Readonly<EnrichedClick>): Partial<EnrichedClick>;
}
