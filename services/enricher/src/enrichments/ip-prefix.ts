import { ipPrefix } from '@linktrack/ip';
import type { ClickEvent, EnrichedClick } from '@linktrack/schema';

export function enrichIpPrefix(click: ClickEvent): Partial<EnrichedClick> {
  return { ip_prefix: ipPrefix(click.ip) };
}
