import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import type { EnrichContext } from './context.js';

export function enrichDevice(click: ClickEvent, ctx: EnrichContext): Partial<EnrichedClick> {
  const { device_type, os, browser } = ctx.userAgents.parse(click.user_agent);
  return { device_type, os, browser };
}
