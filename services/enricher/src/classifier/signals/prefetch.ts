import type { Signal } from '../input.js';

/**
 * Speculative loads: Chrome's Sec-Purpose (prefetch, prerender), the older
 * Purpose and X-Purpose (Safari's "preview" of top sites), Firefox's X-Moz.
 */
const HEADERS = ['sec-purpose', 'purpose', 'x-purpose', 'x-moz'] as const;
const SPECULATIVE = /prefetch|prerender|preview/i;

export function isPrefetch(headers: Readonly<Record<string, string>>): boolean {
  for (const name of HEADERS) {
    const value = headers[name];
    if (value !== undefined && SPECULATIVE.test(value)) return true;
  }
  return false;
}

export const prefetchSignal: Signal = {
  name: 'prefetch',
  test: (input) => isPrefetch(input.headers),
};
