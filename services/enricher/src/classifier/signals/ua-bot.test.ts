import { UA } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { uaBotSignal } from './ua-bot.js';

describe('ua_bot signal', () => {
  it('fires for crawlers and HTTP libraries isbot knows', () => {
    for (const userAgent of [UA.googlebot, UA.curl, 'python-requests/2.32.3', 'Go-http-client/1.1'])
      expect(uaBotSignal.test(signalInput({ userAgent }), testContext), userAgent).toBe(true);
  });

  it('leaves browsers alone', () => {
    for (const userAgent of [UA.chromeDesktop, UA.iphone, UA.ipad])
      expect(uaBotSignal.test(signalInput({ userAgent }), testContext)).toBe(false);
  });
});
