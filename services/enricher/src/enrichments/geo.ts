import { unmapIpv4 } from '@linktrack/ip';
import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import type { EnrichContext } from './context.js';

export function enrichGeo(click: ClickEvent, ctx: EnrichContext): Partial<EnrichedClick> {
  const found = ctx.geo.lookup(unmapIpv4(click.ip));
  return found ?? { country: '', region: '', city: '' };
}
