import type { ClassifierInput, Signal } from '../input.js';

/** Browsers send Accept-Language, and current ones Sec-Fetch-* on every navigation. */
export function hasBrowserHeaders(input: Pick<ClassifierInput, 'acceptLanguage' | 'headers'>): boolean {
  if (input.acceptLanguage !== '') return true;
  const h = input.headers;
  return (
    h['sec-fetch-mode'] !== undefined ||
    h['sec-fetch-site'] !== undefined ||
    h['sec-fetch-dest'] !== undefined
  );
}

/**
 * A browser user agent without a browser's headers: scripts that copy a
 * browser's user agent rarely copy the rest. Weak: older browsers and some
 * in-app webviews send neither, so it only counts together with another signal.
 */
export const missingBrowserHeadersSignal: Signal = {
  name: 'missing_browser_headers',
  weak: true,
  test: (input) => input.agent.browser && !hasBrowserHeaders(input),
};
