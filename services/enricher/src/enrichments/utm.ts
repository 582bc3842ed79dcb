import { readUtm } from '@linktrack/links';
import type { ClickEvent, EnrichedClick } from '@linktrack/schema';

/** UTMs come from the link's destination: that is what the landing page will see. */
export function enrichUtm(click: ClickEvent): Partial<EnrichedClick> {
  return readUtm(click.destination);
}
