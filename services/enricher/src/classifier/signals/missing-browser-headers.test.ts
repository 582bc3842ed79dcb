import { UA } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { createClassifier } from '../classifier.js';
import { signalInput, testContext } from '../testing.js';
import { missingBrowserHeadersSignal } from './missing-browser-headers.js';

const test = (over: Parameters<typeof signalInput>[0]) =>
  missingBrowserHeadersSignal.test(signalInput(over), testContext);

describe('missing_browser_headers signal', () => {
  it('fires for a browser user agent with neither Accept-Language nor Sec-Fetch-*', () => {
    expect(test({ acceptLanguage: '', headers: {} })).toBe(true);
    expect(test({ acceptLanguage: 'en', headers: {} })).toBe(false);
    expect(test({ acceptLanguage: '', headers: { 'sec-fetch-mode': 'navigate' } })).toBe(false);
  });

  it('is about browsers only: a script that says what it is has other signals', () => {
    expect(test({ userAgent: UA.curl, acceptLanguage: '', headers: {} })).toBe(false);
  });

  it('is weak: recorded, but a person stays a person unless another signal fires', () => {
    const classifier = createClassifier(testContext);
    const bare = signalInput({ acceptLanguage: '', headers: {} });
    expect(classifier.classify(bare)).toEqual({
      signals: ['missing_browser_headers'],
      reason: '',
      isBot: false,
    });
    expect(classifier.classify({ ...bare, burst: true })).toMatchObject({ reason: 'burst', isBot: true });
  });
});
