import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { burstSignal } from './burst.js';

describe('burst signal', () => {
  it('fires when the burst detector says the client is bursting', () => {
    expect(burstSignal.test(signalInput({ burst: true }), testContext)).toBe(true);
    expect(burstSignal.test(signalInput(), testContext)).toBe(false);
  });
});
