import type { Signal } from '../input.js';

/** No user agent at all: every browser sends one. */
export const uaEmptySignal: Signal = {
  name: 'ua_empty',
  test: (input) => input.userAgent.trim() === '',
};
