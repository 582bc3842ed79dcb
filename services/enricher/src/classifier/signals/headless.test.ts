import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { headlessSignal, isHeadlessAgent } from './headless.js';

describe('headless signal', () => {
  it('names headless and automated browsers', () => {
    expect(
      isHeadlessAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/125.0.6422.141 Safari/537.36',
      ),
    ).toBe(true);
    expect(
      isHeadlessAgent(
        'Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1',
      ),
    ).toBe(true);
    expect(isHeadlessAgent('Mozilla/5.0 Playwright/1.45')).toBe(true);
  });

  it("also reads Chrome's client hint brands, and leaves a normal Chrome alone", () => {
    const hinted = signalInput({ headers: { 'sec-ch-ua': '"HeadlessChrome";v="125", "Chromium";v="125"' } });
    expect(headlessSignal.test(hinted, testContext)).toBe(true);
    expect(headlessSignal.test(signalInput(), testContext)).toBe(false);
  });
});
