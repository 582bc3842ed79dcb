import { describe, expect, it } from 'vitest';
import { memoize } from './lru.js';

describe('memoize', () => {
  it('computes a key once while it is used, and holds a bounded number of keys', () => {
    const calls: string[] = [];
    const upper = memoize((k) => {
      calls.push(k);
      return k.toUpperCase();
    }, 4);
    expect(upper('a')).toBe('A');
    expect(upper('a')).toBe('A');
    expect(calls).toEqual(['a']);
    for (const k of ['b', 'c', 'd', 'e', 'f']) upper(k);
    // 'a' fell out two generations ago; 'e' and 'f' are held.
    upper('a');
    upper('f');
    expect(calls).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'a']);
  });

  it('keeps a key that stays in use across generations', () => {
    let n = 0;
    const f = memoize((k) => `${k}${n++}`, 2);
    const first = f('hot');
    for (const k of ['x', 'y', 'z']) {
      f(k);
      expect(f('hot')).toBe(first);
    }
  });
});
