import { ApiError } from '../errors.js';
import type { Filters, FunnelSpec, GroupBy, Model, Range, Scope } from './query-builder.js';

const DAY_MS = 86_400_000;
/** The default range when none is given: the week before `to`. */
export const DEFAULT_RANGE_DAYS = 7;
/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 400;
export const MAX_STEPS = 8;
/** The longest funnel window: a year. */
export const MAX_WINDOW_SECONDS = 365 * 86_400;

/** A time as ISO-8601 (with a zone, or UTC when it has none) or epoch milliseconds. */
export function parseTime(given: string, field: 'from' | 'to'): number {
  const text = given.replace(' ', 'T');
  const ms = /^\d{1,15}$/.test(text)
    ? Number(text)
    : /^\d{4}-\d{2}-\d{2}/.test(text)
      ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || !text.includes('T') ? text : `${text}Z`)
      : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0 || ms > 253_402_300_799_999) {
    throw new ApiError('LT_ANALYTICS_BAD_TIME', `${field}: must be ISO-8601 or epoch milliseconds`, {
      field,
    });
  }
  return ms;
}

/** [from, to): to defaults to now, from to a week before to; from before to, at most 400 days apart. */
export function parseRange(query: { from?: string; to?: string }, now = Date.now()): Range {
  const toMs = query.to === undefined ? now : parseTime(query.to, 'to');
  const fromMs =
    query.from === undefined ? toMs - DEFAULT_RANGE_DAYS * DAY_MS : parseTime(query.from, 'from');
  if (fromMs >= toMs)
    throw new ApiError('LT_ANALYTICS_BAD_RANGE', 'from: must be before to', { field: 'from' });
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    throw new ApiError('LT_ANALYTICS_BAD_RANGE', `to: at most ${MAX_RANGE_DAYS} days after from`, {
      field: 'to',
    });
  }
  return { fromMs, toMs };
}

export function filtersOf(query: Filters): Filters {
  const filters: Filters = {};
  if (query.slug !== undefined) filters.slug = query.slug;
  if (query.campaign !== undefined) filters.campaign = query.campaign;
  if (query.source !== undefined) filters.source = query.source;
  if (query.medium !== undefined) filters.medium = query.medium;
  return filters;
}

export function scopeOf(
  query: Filters & { from?: string; to?: string; model?: Model; include_bots?: boolean },
  windowDays: number,
  now?: number,
): Scope {
  return {
    range: parseRange(query, now),
    filters: filtersOf(query),
    model: query.model ?? 'last',
    windowDays,
    includeBots: query.include_bots ?? false,
  };
}

// A conversion event name as a UTM value is checked: 1-200 characters, no
// control characters, no surrounding space; and no comma, which separates steps.
const EVENT_NAME = /^[^\s,\p{Cc}](?:[^,\p{Cc}]{0,198}[^\s,\p{Cc}])?$/u;

/** click, then landing (optional), then conversion event names: 2 to 8 steps, none twice. */
export function parseSteps(text: string): string[] {
  const steps = text.split(',');
  const fail = (message: string) => {
    throw new ApiError('LT_ANALYTICS_BAD_STEPS', `steps: ${message}`, { field: 'steps' });
  };
  if (steps.length < 2 || steps.length > MAX_STEPS) fail(`give 2 to ${MAX_STEPS} steps, comma-separated`);
  if (steps[0] !== 'click') fail('the first step must be click');
  steps.forEach((step, i) => {
    if (i === 0) return;
    if (step === 'click') fail('click can only be the first step');
    if (step === 'landing' && i !== 1) fail('landing can only come right after click');
    if (!EVENT_NAME.test(step)) fail(`step ${i + 1} is not a valid event name (1-200 characters, no comma)`);
  });
  if (new Set(steps).size !== steps.length) fail('a step appears twice');
  return steps;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** Ns, Nm, Nh or Nd, up to a year. */
export function parseWindow(text: string): number {
  const match = /^([1-9]\d{0,8})([smhd])$/.exec(text);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : 0;
  if (seconds < 1 || seconds > MAX_WINDOW_SECONDS) {
    throw new ApiError(
      'LT_ANALYTICS_BAD_WINDOW',
      'window: a number with s, m, h or d (e.g. 7d), up to 365d',
      {
        field: 'window',
      },
    );
  }
  return seconds;
}

export function funnelSpecOf(query: { steps: string; window?: string; group_by?: GroupBy }): FunnelSpec {
  return {
    steps: parseSteps(query.steps),
    windowSeconds: parseWindow(query.window ?? '7d'),
    groupBy: query.group_by ?? null,
  };
}
