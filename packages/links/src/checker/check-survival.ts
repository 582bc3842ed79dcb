import { keyOf, segments, segmentValue, splitUrl } from '../query-string.js';
import { type FetchedPage, fetchOnce } from './safe-fetch.js';

export interface SurvivalOptions {
  allowPrivate: boolean;
  maxHops?: number;
  hopTimeoutMs?: number;
  /** The parameters to follow besides utm_*: the click id. */
  extraParams?: readonly string[];
  /** Expected values, e.g. from the taxonomy; a difference counts as changed. */
  expectUtm?: Readonly<Record<string, string>>;
  /** For tests: how a hop is fetched. */
  fetch?: (url: URL) => Promise<FetchedPage>;
}

export interface SurvivalReport {
  ok: boolean;
  final_url: string;
  hops: { url: string; status: number }[];
  lost: string[];
  changed: { param: string; from: string; to: string }[];
  /** Why the chain could not be followed to its end, when it could not. */
  error?: { code: string; message: string };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Follows a URL the way a browser would (HTTP redirects and
 * `<meta http-equiv="refresh">`, at most 10 hops of 5 s each) and says which
 * of its utm_* and click-id parameters reached the end, which were lost, and
 * which changed on the way.
 */
export async function checkSurvival(start: string, options: SurvivalOptions): Promise<SurvivalReport> {
  const maxHops = options.maxHops ?? 10;
  const timeoutMs = options.hopTimeoutMs ?? 5_000;
  const fetchHop =
    options.fetch ?? ((url: URL) => fetchOnce(url, { allowPrivate: options.allowPrivate, timeoutMs }));
  const tracked = trackedParams(start, options.extraParams ?? ['lt_cid']);
  for (const [param, value] of Object.entries(options.expectUtm ?? {})) tracked.set(param, value);
  const hops: SurvivalReport['hops'] = [];
  let current = start;
  let error: SurvivalReport['error'];
  for (let hop = 0; ; hop++) {
    if (hop >= maxHops) {
      error = { code: 'LT_CHECK_TOO_MANY_HOPS', message: `more than ${maxHops} hops` };
      break;
    }
    let page: FetchedPage;
    try {
      page = await fetchHop(new URL(current));
    } catch (err) {
      const e = err as Error & { code?: string };
      error = {
        code: e.code === 'LT_CHECK_REFUSED_ADDRESS' ? e.code : 'LT_CHECK_UNREACHABLE',
        message: `${current}: ${e.message}`,
      };
      break;
    }
    hops.push({ url: current, status: page.status });
    const next = nextUrl(current, page);
    if (!next) break;
    current = next;
  }
  const arrived = finalParams(current);
  const lost: string[] = [];
  const changed: SurvivalReport['changed'] = [];
  for (const [param, from] of tracked) {
    const to = arrived.get(param);
    if (to === undefined) lost.push(param);
    else if (to !== from) changed.push({ param, from, to });
  }
  // A parameter renamed on the way (utm_source → utmsource) shows as lost; a changed case as changed.
  return {
    ok: !error && lost.length === 0 && changed.length === 0,
    final_url: current,
    hops,
    lost,
    changed,
    ...(error ? { error } : {}),
  };
}

function trackedParams(url: string, extra: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const segment of segments(splitUrl(url).query)) {
    const key = keyOf(segment);
    if ((key.startsWith('utm_') || extra.includes(key)) && !out.has(key)) out.set(key, segmentValue(segment));
  }
  return out;
}

function finalParams(url: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const segment of segments(splitUrl(url).query)) {
    const key = keyOf(segment);
    if (!out.has(key)) out.set(key, segmentValue(segment));
  }
  return out;
}

function nextUrl(current: string, page: FetchedPage): string | null {
  if (REDIRECTS.has(page.status) && page.location) return new URL(page.location, current).href;
  if (page.status >= 200 && page.status < 300 && page.body) {
    const refresh = metaRefreshTarget(page.body);
    if (refresh) return new URL(refresh, current).href;
  }
  return null;
}

/** The target of `<meta http-equiv="refresh" content="0; url=...">`, if the page has one. */
export function metaRefreshTarget(html: string): string | null {
  for (const tag of html.match(/<meta\b[^>]*>/giu) ?? []) {
    if (!/http-equiv\s*=\s*["']?refresh/iu.test(tag)) continue;
    const content =
      /content\s*=\s*(["'])(.*?)\1/iu.exec(tag)?.[2] ?? /content\s*=\s*([^\s>]+)/iu.exec(tag)?.[1];
    const target = /url\s*=\s*['"]?([^'"]+)['"]?/iu.exec(content ?? '')?.[1];
    if (target) return decodeHtml(target.trim());
  }
  return null;
}

function decodeHtml(s: string): string {
  return s
    .replaceAll('&amp;', '&')
    .replaceAll('&#38;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'");
}
