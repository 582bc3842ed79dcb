import type { ClickConfirmation, DeadLetter, EnrichedClick, LinkEvent } from './types.js';
import { legacyVisitType } from './visit-type.js';

/**
 * Records to ClickHouse rows (JSONEachRow). Timestamps go as integer
 * milliseconds, which DateTime64(3) reads as ticks; booleans become 0/1.
 */
export function clickRow(c: EnrichedClick) {
  // An enricher that predates visit_type leaves it null; link_found then says what it can.
  const visit_type = c.visit_type ?? legacyVisitType(c.link_found);
  return { ...c, visit_type, link_found: visit_type === 'redirect' ? 1 : 0, is_bot: c.is_bot ? 1 : 0 };
}

export function linkRow(l: LinkEvent) {
  return {
    ...l,
    forward_query: l.forward_query ? 1 : 0,
    track_conversions: l.track_conversions ? 1 : 0,
    honeypot: l.honeypot ? 1 : 0,
  };
}

export function deadLetterRow(d: DeadLetter) {
  const { payload, ...rest } = d;
  return { ...rest, payload_base64: payload.toString('base64') };
}

export function clickConfirmationRow(c: ClickConfirmation) {
  return { ...c };
}
