import type { Signal } from '../input.js';

/** A request for a honeypot link: hidden in an email where no person can see it, so only a machine asks. */
export const honeypotSignal: Signal = {
  name: 'honeypot',
  test: (input) => input.honeypot,
};
