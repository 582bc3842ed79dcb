import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { uaEmptySignal } from './ua-empty.js';

describe('ua_empty signal', () => {
  it('fires for a missing or blank user agent only', () => {
    expect(uaEmptySignal.test(signalInput({ userAgent: '' }), testContext)).toBe(true);
    expect(uaEmptySignal.test(signalInput({ userAgent: '  ' }), testContext)).toBe(true);
    expect(uaEmptySignal.test(signalInput(), testContext)).toBe(false);
  });
});
