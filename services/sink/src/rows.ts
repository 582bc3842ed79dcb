import type { DeadLetter, EnrichedClick, LinkEvent } from '@linktrack/schema';

/**
 * Avro records to ClickHouse rows. Timestamps go as integer milliseconds,
 * which DateTime64(3) reads as ticks; booleans become 0/1.
 */
export function clickRow(c: EnrichedClick) {
  return { ...c, link_found: c.link_found ? 1 : 0, is_bot: c.is_bot ? 1 : 0 };
}

export function linkRow(l: LinkEvent) {
  return { ...l };
}

export function deadLetterRow(d: DeadLetter) {
  const { payload, ...rest } = d;
  return { ...rest, payload_base64: payload.toString('base64') };
}
