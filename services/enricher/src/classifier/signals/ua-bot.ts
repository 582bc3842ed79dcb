import type { Signal } from '../input.js';

/** isbot matches the user agent: crawlers, libraries (curl, python-requests) and bots that say so. */
export const uaBotSignal: Signal = {
  name: 'ua_bot',
  test: (input) => input.agent.crawler,
};
