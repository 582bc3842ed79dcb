import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import type { EnrichContext } from './context.js';

/** UTMs come from the link's destination: that is what the landing page will see. */
export function enrichUtm(click: ClickEvent, ctx: EnrichContext): Partial<EnrichedClick> {
  return ctx.utmOf(click.destination);
}
