import type { Signal } from '../input.js';

/** The client is requesting links faster than a person can (resources/burst.ts has the rules). */
export const burstSignal: Signal = {
  name: 'burst',
  test: (input) => input.burst,
};
