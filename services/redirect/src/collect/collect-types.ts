import { randomUUID } from 'node:crypto';
import {
  browserTouches,
  ConversionFieldError,
  checkAmount,
  checkConversionId,
  checkEventName,
  checkUuid,
  MAX_TOUCHES,
} from '@linktrack/links';
import type { ClickConfirmation, ConversionEvent } from '@linktrack/streams';
import { CollectError } from '../errors.js';

/** What a collect type may do with a valid event: publish to its stream. */
export interface CollectSinks {
  confirm(confirmation: ClickConfirmation): void;
  convert(conversion: ConversionEvent): void;
}

/**
 * One event type the collect endpoint takes: its own validation (a body is
 * untrusted JSON from any page) and what it does with a valid event. The
 * endpoint dispatches on `type`; a new type (the conversions work's
 * `conversion`) is one more entry in COLLECT_TYPES.
 */
export interface CollectType {
  /** The event, or a CollectError (400) naming what is wrong. */
  parse(body: Record<string, unknown>): unknown;
  handle(event: unknown, sinks: CollectSinks, now: number): void;
  /** Sent with the site's publishable key (`key`), checked before `parse`. */
  needsKey?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `{type: 'confirm', click_id}`: a browser showed the landing page of that click. */
export const confirmType: CollectType = {
  parse(body) {
    const unknown = Object.keys(body).filter((k) => k !== 'type' && k !== 'click_id');
    if (unknown.length > 0) throw invalid(`unknown field "${unknown[0]}"`);
    if (typeof body.click_id !== 'string' || !UUID.test(body.click_id)) throw invalid('click_id: not a UUID');
    return { click_id: body.click_id.toLowerCase() };
  },
  handle(event, sinks, now) {
    const { click_id } = event as { click_id: string };
    sinks.confirm({ click_id, ts: now, source: 'beacon' });
  },
};

const CONVERSION_FIELDS = new Set(['type', 'key', 'event', 'value', 'currency', 'id', 'touches']);

interface BrowserConversion {
  id: string | null;
  event: string;
  value: string;
  currency: string;
  touches: { click_id: string; ts: number }[];
}

/**
 * `{type: 'conversion', key, event, value?, currency?, id?, touches: [{click_id, ts}]}`
 * from `linktrack.convert(...)`: unverified (any visitor can send one), so it
 * is stored as source browser (trust 1), dated by its arrival, and a server
 * conversion of the same id replaces it. The touches' client times only order them.
 */
export const conversionType: CollectType = {
  needsKey: true,
  parse(body) {
    const unknown = Object.keys(body).filter((k) => !CONVERSION_FIELDS.has(k));
    if (unknown.length > 0) throw invalid(`unknown field "${unknown[0]}"`);
    try {
      const touches = body.touches ?? [];
      if (!Array.isArray(touches) || touches.length > MAX_TOUCHES)
        throw new ConversionFieldError('touches', `must be an array of at most ${MAX_TOUCHES}`);
      const event: BrowserConversion = {
        id: body.id === undefined || body.id === null ? null : checkConversionId(body.id),
        event: checkEventName(body.event),
        ...checkAmount(body.value, body.currency),
        touches: touches.map((t: unknown, i) => touch(t, i)),
      };
      return event;
    } catch (err) {
      if (err instanceof ConversionFieldError) throw invalid(`${err.field}: ${err.message}`);
      throw err;
    }
  },
  handle(event, sinks, now) {
    const c = event as BrowserConversion;
    sinks.convert({
      conversion_id: c.id ?? randomUUID(),
      ...browserTouches(c.touches),
      event: c.event,
      value: c.value,
      currency: c.currency,
      source: 'browser',
      ts: now,
      received_at: now,
    });
  },
};

function touch(raw: unknown, i: number): { click_id: string; ts: number } {
  const field = `touches[${i}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConversionFieldError(field, 'must be {click_id, ts}');
  const t = raw as Record<string, unknown>;
  const extra = Object.keys(t).find((k) => k !== 'click_id' && k !== 'ts');
  if (extra) throw new ConversionFieldError(field, `unknown field "${extra}"`);
  if (typeof t.ts !== 'number' || !Number.isSafeInteger(t.ts) || t.ts < 0)
    throw new ConversionFieldError(`${field}.ts`, 'must be epoch milliseconds');
  return { click_id: checkUuid(t.click_id, `${field}.click_id`), ts: t.ts };
}

export const COLLECT_TYPES: Readonly<Record<string, CollectType>> = {
  confirm: confirmType,
  conversion: conversionType,
};

function invalid(message: string): CollectError {
  return new CollectError('LT_COLLECT_INVALID', 400, message);
}
