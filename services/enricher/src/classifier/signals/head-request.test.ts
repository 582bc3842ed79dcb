import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { headRequestSignal } from './head-request.js';

describe('head_request signal', () => {
  it('fires for HEAD only', () => {
    expect(headRequestSignal.test(signalInput({ method: 'HEAD' }), testContext)).toBe(true);
    expect(headRequestSignal.test(signalInput({ method: 'GET' }), testContext)).toBe(false);
  });
});
