import type { Signal } from '../input.js';

/** Link checkers ask with HEAD; a person's browser following a link never does. */
export const headRequestSignal: Signal = {
  name: 'head_request',
  test: (input) => input.method === 'HEAD',
};
