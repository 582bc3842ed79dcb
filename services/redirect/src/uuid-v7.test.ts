import { describe, expect, it } from 'vitest';
import { uuidv7 } from './uuid-v7.js';

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10, and the timestamp in the first 48 bits', () => {
    const ms = Date.UTC(2026, 10, 24, 12, 0, 0, 123);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('does not repeat across many ids in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(20_000);
  });

  it('sorts by time across milliseconds', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(earlier < later).toBe(true);
  });
});
