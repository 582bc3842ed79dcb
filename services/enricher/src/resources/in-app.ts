/**
 * In-app browsers: a link opened inside Instagram, Facebook, TikTok, LinkedIn
 * or Gmail is a person on a phone, and `browser` names the app. ua-parser-js
 * names most of them; these markers cover the webviews it calls Chrome or
 * Chrome WebView (TikTok and Gmail on Android, Facebook's Android webview).
 */
const IN_APP: readonly (readonly [RegExp, string])[] = [
  [/\bInstagram\b/, 'Instagram'],
  [/FBAN\/|FBAV\/|FB_IAB\//, 'Facebook'],
  [/musical_ly|trill_\d|BytedanceWebview|\bTikTok\b/, 'TikTok'],
  [/LinkedInApp/, 'LinkedIn'],
  [/\bGmail\b/, 'Gmail'],
  [/\bGSA\/\d/, 'Google app'],
];

const NAMES = new Set(IN_APP.map(([, name]) => name).concat(['GSA']));

/** The app whose browser this is, or ''. */
export function inAppBrowser(userAgent: string, parsedBrowser: string): string {
  for (const [pattern, name] of IN_APP) if (pattern.test(userAgent)) return name;
  return NAMES.has(parsedBrowser) ? parsedBrowser : '';
}
