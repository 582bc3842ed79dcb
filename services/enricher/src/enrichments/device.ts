import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import type { EnrichContext } from './context.js';

export function enrichDevice(click: ClickEvent, ctx: EnrichContext): Partial<EnrichedClick> {
  return ctx.userAgents.parse(click.user_agent);
}
