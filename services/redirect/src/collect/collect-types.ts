import type { ClickConfirmation } from '@linktrack/streams';
import { CollectError } from '../errors.js';

/** What a collect type may do with a valid event: publish to its stream. */
export interface CollectSinks {
  confirm(confirmation: ClickConfirmation): void;
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

export const COLLECT_TYPES: Readonly<Record<string, CollectType>> = {
  confirm: confirmType,
};

function invalid(message: string): CollectError {
  return new CollectError('LT_COLLECT_INVALID', 400, message);
}
