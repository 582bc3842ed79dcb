// Clicks that vary like real traffic, for sizing: thousands of links with UTMs, a long tail of user agents
// and networks, referrers, ad click ids, bots. Deterministic (seeded), so runs compare.
import type { EnrichedClick } from '@linktrack/streams';

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

const BROWSERS = [
  [
    'Chrome',
    'Windows',
    'desktop',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1$V.0.0.0 Safari/537.36',
  ],
  [
    'Chrome',
    'Android',
    'mobile',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1$V.0.0.0 Mobile Safari/537.36',
  ],
  [
    'Mobile Safari',
    'iOS',
    'mobile',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_$V like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.$V Mobile/15E148 Safari/604.1',
  ],
  [
    'Safari',
    'Mac OS',
    'desktop',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.$V Safari/605.1.15',
  ],
  [
    'Firefox',
    'Windows',
    'desktop',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:1$V.0) Gecko/20100101 Firefox/1$V.0',
  ],
  [
    'Edge',
    'Windows',
    'desktop',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/1$V.0.0.0 Safari/537.36 Edg/1$V.0.0.0',
  ],
  [
    'Samsung Internet',
    'Android',
    'mobile',
    'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2$V.0 Chrome/1$V.0.0.0 Mobile Safari/537.36',
  ],
  [
    'Mobile Safari',
    'iOS',
    'tablet',
    'Mozilla/5.0 (iPad; CPU OS 17_$V like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.$V Mobile/15E148 Safari/604.1',
  ],
] as const;
const BOTS = [
  ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'ua_bot'],
  ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'link_preview'],
  ['python-requests/2.3$V.0', 'ua_tool'],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'ua_bot'],
] as const;
const PLACES = [
  ['US', 'California', 'San Francisco'],
  ['US', 'New York', 'New York'],
  ['US', 'Texas', 'Austin'],
  ['GB', 'England', 'London'],
  ['DE', 'Berlin', 'Berlin'],
  ['DE', 'Bavaria', 'Munich'],
  ['FR', 'Île-de-France', 'Paris'],
  ['JP', 'Tokyo', 'Tokyo'],
  ['BR', 'São Paulo', 'São Paulo'],
  ['IN', 'Karnataka', 'Bengaluru'],
  ['CA', 'Ontario', 'Toronto'],
  ['AU', 'New South Wales', 'Sydney'],
  ['NL', 'North Holland', 'Amsterdam'],
  ['ES', 'Madrid', 'Madrid'],
  ['', '', ''],
] as const;
const REFERRERS = [
  ['', '', 'direct'],
  ['https://www.google.com/', 'google.com', 'search'],
  ['https://t.co/$R', 't.co', 'social'],
  ['https://www.facebook.com/', 'facebook.com', 'social'],
  ['https://www.linkedin.com/feed/', 'linkedin.com', 'social'],
  ['https://mail.google.com/', 'mail.google.com', 'email'],
  ['https://news.example.org/articles/$R', 'news.example.org', 'unknown'],
  ['https://www.bing.com/search?q=$R', 'bing.com', 'search'],
  ['https://www.reddit.com/r/$R/', 'reddit.com', 'social'],
] as const;
const LANGS = [
  'en-US,en;q=0.9',
  'en-GB,en;q=0.9',
  'de-DE,de;q=0.9,en;q=0.8',
  'fr-FR,fr;q=0.9',
  'ja-JP,ja;q=0.9',
  'pt-BR,pt;q=0.9',
  'es-ES,es;q=0.9',
  '',
];
const SOURCES = ['newsletter', 'google', 'facebook', 'linkedin', 'twitter', 'partner', 'podcast', 'qr'];
const MEDIUMS = ['email', 'cpc', 'social', 'referral', 'print'];
const PAID = [
  ['gclid', 'gclid'],
  ['fbclid', 'fbclid'],
  ['msclkid', 'msclkid'],
] as const;

const hex = (r: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
  return s;
};
const word = (r: () => number, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(r() * 26));
  return s;
};
const pick = <T>(r: () => number, xs: readonly T[], skew = 1): T =>
  xs[Math.floor(r() ** skew * xs.length)] as T;

/** `n` enriched clicks of one day's traffic on 2,000 links. */
export function randomClicks(n: number, seed = 42): EnrichedClick[] {
  const r = rng(seed);
  const links = Array.from({ length: 2_000 }, (_, i) => {
    const slug = word(r, 7);
    const utm = [pick(r, SOURCES), pick(r, MEDIUMS), `campaign-${Math.floor(r() * 200)}`] as const;
    return {
      slug,
      utm,
      destination: `https://shop.example.com/p/${i}?utm_source=${utm[0]}&utm_medium=${utm[1]}&utm_campaign=${utm[2]}`,
    };
  });
  const start = Date.UTC(2026, 10, 24);
  return Array.from({ length: n }, (_, i) => {
    const ts = start + Math.floor((i * 86_400_000) / n);
    const link = pick(r, links, 3); // a few links take most clicks
    const bot = r() < 0.1 ? pick(r, BOTS) : null;
    const browser = pick(r, BROWSERS, 1.5);
    const version = String(20 + Math.floor(r() * 12));
    const place = pick(r, PLACES, 1.5);
    const ref = pick(r, REFERRERS, 1.5);
    const paid = link.utm[1] === 'cpc' && r() < 0.8 ? pick(r, PAID) : null;
    const query = paid ? `${paid[0]}=${word(r, 40)}` : r() < 0.1 ? `ref=${word(r, 6)}` : '';
    return {
      click_id: `${ts
        .toString(16)
        .padStart(12, '0')
        .replace(
          /(.{8})(.{4})/,
          '$1-$2',
        )}-7${hex(r, 3)}-${(8 + Math.floor(r() * 4)).toString(16)}${hex(r, 3)}-${hex(r, 12)}`,
      ts,
      slug: link.slug,
      destination: link.destination,
      method: r() < 0.03 ? 'HEAD' : 'GET',
      link_found: true,
      utm_source: link.utm[0],
      utm_medium: link.utm[1],
      utm_campaign: link.utm[2],
      utm_term: '',
      utm_content: r() < 0.2 ? `variant-${Math.floor(r() * 4)}` : '',
      referrer: ref[0].replace('$R', word(r, 8)),
      referrer_domain: ref[1],
      country: place[0],
      region: place[1],
      city: place[2],
      device_type: bot ? 'bot' : browser[2],
      os: bot ? '' : browser[1],
      browser: bot ? '' : browser[0],
      is_bot: bot !== null,
      bot_reason: bot ? bot[1] : '',
      ip_prefix: `${1 + Math.floor(r() * 223)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.0/24`,
      user_agent: (bot ? bot[0] : browser[3]).replaceAll('$V', version),
      accept_language: pick(r, LANGS, 1.5),
      query,
      visit_type: 'redirect',
      trigger: link.utm[0] === 'qr' ? 'qr' : 'link',
      referrer_medium: ref[2],
      paid_click_id_type: paid ? paid[1] : '',
      bot_signals: bot ? [bot[1]] : [],
      classifier_version: 1,
      visitor_hash: hex(r, 16),
      asn: bot ? 15169 : 3320 + Math.floor(r() * 2_000),
      asn_org: bot ? 'Google LLC' : 'Example Telecom',
      request_headers: (bot ? {} : { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }) as Record<
        string,
        string
      >,
    };
  });
}
