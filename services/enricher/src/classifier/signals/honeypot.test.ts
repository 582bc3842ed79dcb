import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { honeypotSignal } from './honeypot.js';

describe('honeypot signal', () => {
  it('fires for a request of a honeypot link, whatever the client looks like', () => {
    expect(honeypotSignal.test(signalInput({ honeypot: true }), testContext)).toBe(true);
    expect(honeypotSignal.test(signalInput(), testContext)).toBe(false);
  });
});
