import { CURRENCIES } from './currencies.js';

/**
 * The fields of a conversion, checked the same way whoever sends it (the api
 * for servers, the collect endpoint for browsers). Each check returns the
 * normalized value or throws a ConversionFieldError naming the field; the
 * caller turns that into its own coded error.
 */
export class ConversionFieldError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ConversionFieldError';
    this.field = field;
  }
}

/** The click id of a conversion no click is known for. */
export const NO_CLICK_ID = '00000000-0000-0000-0000-000000000000';
/** Touches kept per conversion: the newest ones. */
export const MAX_TOUCHES = 20;
export const CONVERSION_ID_PATTERN = '^[A-Za-z0-9._:-]{1,128}$';
export const EVENT_NAME_PATTERN = '^[a-z0-9_-]{1,64}$';
/** A server may date a conversion this far ahead of our clock (clock skew), no further. */
export const MAX_FUTURE_MS = 5 * 60_000;
/** Before this, an epoch number is taken for seconds sent as milliseconds. */
const EARLIEST_MS = Date.UTC(2000, 0, 1);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CONVERSION_ID = new RegExp(CONVERSION_ID_PATTERN);
const EVENT_NAME = new RegExp(EVENT_NAME_PATTERN);
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function checkUuid(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || !UUID.test(raw)) throw new ConversionFieldError(field, 'not a UUID');
  return raw.toLowerCase();
}

/** The idempotency key: the same id sent twice is one conversion. */
export function checkConversionId(raw: unknown, field = 'id'): string {
  if (typeof raw !== 'string' || !CONVERSION_ID.test(raw))
    throw new ConversionFieldError(
      field,
      'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"',
    );
  return raw;
}

/**
 * An event name, normalized like a UTM value under the default taxonomy
 * (trimmed, inner whitespace runs become "_", lowercased), then held to a
 * lowercase token of 1-64 letters, digits, "_" and "-".
 */
export function checkEventName(raw: unknown, field = 'event'): string {
  if (typeof raw !== 'string') throw new ConversionFieldError(field, 'must be a string');
  const value = raw.trim().replace(/\s+/gu, '_').toLowerCase();
  if (!EVENT_NAME.test(value))
    throw new ConversionFieldError(field, `"${raw.slice(0, 80)}" is not 1-64 of a-z, 0-9, "_" or "-"`);
  return value;
}

/**
 * A value as decimal text, ≥ 0, at most 14 integer digits and 4 decimals (the
 * column is Decimal(18, 4)), without leading or trailing zeros: "019.90" →
 * "19.9". A number is taken as JavaScript prints it; a float like 0.1 + 0.2
 * has too many decimals, so amounts are best sent as strings.
 */
export function checkDecimalValue(raw: unknown, field = 'value'): string {
  const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof text !== 'string') throw new ConversionFieldError(field, 'must be a decimal string or a number');
  if (text.startsWith('-')) throw new ConversionFieldError(field, 'must not be negative');
  const m = DECIMAL.exec(text);
  if (!m) throw new ConversionFieldError(field, `"${text.slice(0, 40)}" is not a decimal like "19.99"`);
  const integer = (m[1] as string).replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (integer.length > 14) throw new ConversionFieldError(field, 'has more than 14 integer digits');
  if (fraction.length > 4) throw new ConversionFieldError(field, 'has more than 4 decimals');
  return fraction ? `${integer}.${fraction}` : integer;
}

/** An ISO 4217 code in circulation, three uppercase letters. */
export function checkCurrency(raw: unknown, field = 'currency'): string {
  if (typeof raw !== 'string' || !CURRENCIES.has(raw))
    throw new ConversionFieldError(
      field,
      'not an ISO 4217 currency code (three uppercase letters, e.g. EUR)',
    );
  return raw;
}

/**
 * Value and currency together: no value is '0' with no currency needed; a
 * non-zero value needs its currency. A currency given is checked and kept.
 */
export function checkAmount(
  value: unknown,
  currency: unknown,
  prefix = '',
): { value: string; currency: string } {
  const v = value === undefined || value === null ? '0' : checkDecimalValue(value, `${prefix}value`);
  const c = currency === undefined || currency === null ? '' : checkCurrency(currency, `${prefix}currency`);
  if (v !== '0' && c === '') throw new ConversionFieldError(`${prefix}currency`, 'is required with a value');
  return { value: v, currency: c };
}

/** When it happened: ISO-8601 with a zone, or epoch milliseconds; at most 5 minutes ahead of `now`. */
export function checkOccurredAt(raw: unknown, now: number, field = 'occurred_at'): number {
  let ms: number;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw))
      throw new ConversionFieldError(field, 'epoch milliseconds must be an integer');
    ms = raw;
  } else if (typeof raw === 'string' && ISO_TIME.test(raw)) {
    ms = Date.parse(raw);
    if (Number.isNaN(ms)) throw new ConversionFieldError(field, `"${raw}" is not a valid time`);
  } else {
    throw new ConversionFieldError(
      field,
      'must be ISO-8601 with a zone (2026-01-31T12:00:00Z) or epoch milliseconds',
    );
  }
  if (ms < EARLIEST_MS)
    throw new ConversionFieldError(field, 'is before 2000 (epoch seconds instead of milliseconds?)');
  if (ms > now + MAX_FUTURE_MS) throw new ConversionFieldError(field, 'is more than 5 minutes in the future');
  return ms;
}

/**
 * A server's touches (oldest first) ending with its click id: the click id
 * is appended unless it is already last, each click id is kept once (at its
 * newest place), and the newest MAX_TOUCHES are kept. No click id: no touches.
 */
export function serverTouches(clickId: string, given: readonly string[] | undefined): string[] {
  if (clickId === NO_CLICK_ID) return dedupeKeepingLast(given ?? []).slice(-MAX_TOUCHES);
  return dedupeKeepingLast([...(given ?? []), clickId]).slice(-MAX_TOUCHES);
}

/**
 * A browser's touches: ordered by the times it says it saw them (untrusted,
 * used for order only), each click id once at its newest time, the newest
 * MAX_TOUCHES. The last one is the conversion's click id.
 */
export function browserTouches(touches: readonly { click_id: string; ts: number }[]): {
  click_id: string;
  touches: string[];
} {
  const newest = new Map<string, number>();
  for (const t of touches) newest.set(t.click_id, Math.max(t.ts, newest.get(t.click_id) ?? -Infinity));
  const ordered = [...newest]
    .sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id)
    .slice(-MAX_TOUCHES);
  return { click_id: ordered.at(-1) ?? NO_CLICK_ID, touches: ordered };
}

function dedupeKeepingLast(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const id = ids[i] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
  }
  return out.reverse();
}
