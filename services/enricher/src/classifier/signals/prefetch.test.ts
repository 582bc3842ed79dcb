import { describe, expect, it } from 'vitest';
import { isPrefetch } from './prefetch.js';

describe('prefetch signal', () => {
  it("reads Chrome's Sec-Purpose, Purpose, X-Purpose and Firefox's X-Moz", () => {
    expect(isPrefetch({ 'sec-purpose': 'prefetch;prerender' })).toBe(true);
    expect(isPrefetch({ 'sec-purpose': 'prefetch;anonymous-client-ip' })).toBe(true);
    expect(isPrefetch({ purpose: 'prefetch' })).toBe(true);
    expect(isPrefetch({ 'x-purpose': 'preview' })).toBe(true);
    expect(isPrefetch({ 'x-moz': 'prefetch' })).toBe(true);
  });

  it('does not fire for a navigation', () => {
    expect(isPrefetch({})).toBe(false);
    expect(isPrefetch({ 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' })).toBe(false);
  });
});
