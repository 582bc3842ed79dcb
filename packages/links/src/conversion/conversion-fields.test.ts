import { describe, expect, it } from 'vitest';
import {
  browserTouches,
  checkAmount,
  checkConversionId,
  checkCurrency,
  checkDecimalValue,
  checkEventName,
  checkOccurredAt,
  checkUuid,
  NO_CLICK_ID,
  serverTouches,
} from './conversion-fields.js';

const A = '01936f6e-8c1a-7b2e-9f00-00000000000a';
const B = '01936f6e-8c1a-7b2e-9f00-00000000000b';
const C = '01936f6e-8c1a-7b2e-9f00-00000000000c';
const NOW = Date.UTC(2026, 5, 1, 12);

const fieldOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return `${(err as { field: string }).field}: ${(err as Error).message}`;
  }
  return 'accepted';
};

describe('conversion fields', () => {
  it('normalizes decimal values and refuses what Decimal(18, 4) cannot hold', () => {
    expect(checkDecimalValue('19.99')).toBe('19.99');
    expect(checkDecimalValue('019.9000')).toBe('19.9');
    expect(checkDecimalValue('0.00')).toBe('0');
    expect(checkDecimalValue(42)).toBe('42');
    expect(checkDecimalValue(19.99)).toBe('19.99');
    expect(checkDecimalValue('99999999999999.9999')).toBe('99999999999999.9999');
    expect(fieldOf(() => checkDecimalValue('-1'))).toBe('value: must not be negative');
    expect(fieldOf(() => checkDecimalValue('123456789012345'))).toBe(
      'value: has more than 14 integer digits',
    );
    expect(fieldOf(() => checkDecimalValue('1.23456'))).toBe('value: has more than 4 decimals');
    expect(fieldOf(() => checkDecimalValue(0.1 + 0.2))).toBe('value: has more than 4 decimals');
    for (const bad of ['1e3', '1,5', '.5', '5.', ' 5', 'NaN', Number.NaN, Infinity, true, {}])
      expect(
        fieldOf(() => checkDecimalValue(bad)),
        String(bad),
      ).toMatch(/^value: /);
  });

  it('takes real ISO 4217 codes only, and needs one with a non-zero value', () => {
    expect(checkCurrency('EUR')).toBe('EUR');
    for (const bad of ['eur', 'EUD', 'EURO', 'XXX', '', 3])
      expect(
        fieldOf(() => checkCurrency(bad)),
        String(bad),
      ).toMatch(/^currency: not an ISO 4217/);
    expect(checkAmount(undefined, undefined)).toEqual({ value: '0', currency: '' });
    expect(checkAmount('0', undefined)).toEqual({ value: '0', currency: '' });
    expect(checkAmount('5', 'JPY')).toEqual({ value: '5', currency: 'JPY' });
    expect(fieldOf(() => checkAmount('5', undefined, 'conversions[2].'))).toBe(
      'conversions[2].currency: is required with a value',
    );
  });

  it('normalizes event names like UTM values, to a lowercase token', () => {
    expect(checkEventName('Purchase')).toBe('purchase');
    expect(checkEventName('  Sign up ')).toBe('sign_up');
    expect(checkEventName('add-to-cart_2')).toBe('add-to-cart_2');
    for (const bad of ['', 'café', 'a.b', 'x'.repeat(65), 7])
      expect(
        fieldOf(() => checkEventName(bad)),
        String(bad),
      ).toMatch(/^event: /);
  });

  it('checks ids and click ids', () => {
    expect(checkConversionId('order-42:2026.1_a')).toBe('order-42:2026.1_a');
    for (const bad of ['', 'a b', 'x'.repeat(129), 'ü', 42])
      expect(
        fieldOf(() => checkConversionId(bad)),
        String(bad),
      ).toMatch(/^id: /);
    expect(checkUuid(A.toUpperCase(), 'click_id')).toBe(A);
    expect(fieldOf(() => checkUuid('nope', 'click_id'))).toBe('click_id: not a UUID');
  });

  it('reads occurred_at as ISO-8601 with a zone or epoch ms, at most 5 minutes ahead', () => {
    expect(checkOccurredAt('2026-06-01T11:00:00Z', NOW)).toBe(NOW - 3_600_000);
    expect(checkOccurredAt('2026-06-01T14:00:00.5+02:00', NOW)).toBe(NOW + 500);
    expect(checkOccurredAt(NOW + 299_000, NOW)).toBe(NOW + 299_000);
    expect(fieldOf(() => checkOccurredAt(NOW + 301_000, NOW))).toBe(
      'occurred_at: is more than 5 minutes in the future',
    );
    expect(fieldOf(() => checkOccurredAt(1_780_000_000, NOW))).toMatch(/before 2000/);
    for (const bad of ['2026-06-01 11:00', '2026-06-01T11:00:00', 'yesterday', 1.5, null])
      expect(
        fieldOf(() => checkOccurredAt(bad, NOW)),
        String(bad),
      ).toMatch(/^occurred_at: /);
  });

  it("ends a server's touches with its click id, each id once, the newest 20", () => {
    expect(serverTouches(A, undefined)).toEqual([A]);
    expect(serverTouches(C, [A, B])).toEqual([A, B, C]);
    expect(serverTouches(B, [A, B])).toEqual([A, B]);
    expect(serverTouches(A, [A, B])).toEqual([B, A]);
    expect(serverTouches(NO_CLICK_ID, undefined)).toEqual([]);
    const many = Array.from(
      { length: 20 },
      (_, i) => `01936f6e-8c1a-7b2e-9f00-${String(i).padStart(12, '0')}`,
    );
    expect(serverTouches(C, many)).toEqual([...many.slice(1), C]);
  });

  it("orders a browser's touches by its times, each id once at its newest time", () => {
    expect(
      browserTouches([
        { click_id: B, ts: 300 },
        { click_id: A, ts: 100 },
        { click_id: C, ts: 200 },
        { click_id: A, ts: 400 },
      ]),
    ).toEqual({ click_id: A, touches: [C, B, A] });
    expect(browserTouches([])).toEqual({ click_id: NO_CLICK_ID, touches: [] });
  });
});
