import type { Signal } from '../input.js';

/** Automated browsers: they render like a person's browser and say so only here. */
const HEADLESS_AGENT =
  /HeadlessChrome|PhantomJS|Puppeteer|Playwright|SlimerJS|Selenium|WebDriver|Nightmare|Electron\/.*Headless/i;

export function isHeadlessAgent(userAgent: string): boolean {
  return HEADLESS_AGENT.test(userAgent);
}

/** The user agent, or Chrome's own client hint brands ("HeadlessChrome"), name a headless browser. */
export const headlessSignal: Signal = {
  name: 'headless',
  test: (input) => input.agent.headless || (input.headers['sec-ch-ua'] ?? '').includes('Headless'),
};
