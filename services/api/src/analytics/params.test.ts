import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { parseRange, parseSteps, parseTime, parseWindow } from './params.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.field}`;
    throw err;
  }
  return 'no error';
};

describe('analytics parameters', () => {
  it('reads times as ISO-8601 (UTC unless a zone is given) or epoch ms', () => {
    const t = Date.UTC(2026, 10, 2, 12);
    expect(parseTime('2026-11-02T12:00:00Z', 'from')).toBe(t);
    expect(parseTime('2026-11-02T12:00:00', 'from')).toBe(t);
    expect(parseTime('2026-11-02 12:00:00', 'from')).toBe(t);
    expect(parseTime('2026-11-02T14:00:00+02:00', 'from')).toBe(t);
    expect(parseTime('2026-11-02', 'from')).toBe(Date.UTC(2026, 10, 2));
    expect(parseTime(String(t), 'to')).toBe(t);
    expect(fieldOf(() => parseTime('soon', 'to'))).toBe('LT_ANALYTICS_BAD_TIME to');
  });

  it('defaults to the week before now, wants from before to, at most 400 days', () => {
    const now = Date.UTC(2026, 10, 9);
    expect(parseRange({}, now)).toEqual({ fromMs: now - 7 * 86_400_000, toMs: now });
    expect(fieldOf(() => parseRange({ from: '2026-11-09', to: '2026-11-09' }))).toBe(
      'LT_ANALYTICS_BAD_RANGE from',
    );
    expect(fieldOf(() => parseRange({ from: '2025-01-01', to: '2026-11-09' }))).toBe(
      'LT_ANALYTICS_BAD_RANGE to',
    );
    expect(fieldOf(() => parseRange({ from: '2025-10-05', to: '2026-11-09' }))).toBe('no error');
  });

  it('takes click, then landing, then event names: 2 to 8 steps', () => {
    expect(parseSteps('click,landing,signup,purchase')).toEqual(['click', 'landing', 'signup', 'purchase']);
    expect(parseSteps('click,Trial Started')).toEqual(['click', 'Trial Started']);
    for (const bad of [
      'click',
      'signup,click',
      'click,signup,landing',
      'click,click',
      'click, signup',
      'click,a,a',
    ])
      expect(fieldOf(() => parseSteps(bad))).toBe('LT_ANALYTICS_BAD_STEPS steps');
    expect(fieldOf(() => parseSteps(`click,${'e'.repeat(201)}`))).toBe('LT_ANALYTICS_BAD_STEPS steps');
  });

  it('reads the window in s, m, h or d, up to a year', () => {
    expect(parseWindow('90s')).toBe(90);
    expect(parseWindow('30m')).toBe(1_800);
    expect(parseWindow('2h')).toBe(7_200);
    expect(parseWindow('365d')).toBe(31_536_000);
    for (const bad of ['0d', '7', '7w', '366d', '-1h', '1.5h'])
      expect(fieldOf(() => parseWindow(bad))).toBe('LT_ANALYTICS_BAD_WINDOW window');
  });
});
