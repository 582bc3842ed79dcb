import {
  appendSegments,
  encodeSegment,
  joinUrl,
  keyOf,
  type SplitUrl,
  sanitizeSegment,
  segments,
  segmentValue,
  splitUrl,
} from './query-string.js';

export interface LocationRules {
  /** Append the visitor's own query parameters (gclid, fbclid, ref, ...). */
  forwardQuery: boolean;
  /** Names never taken from the visitor: linktrack's own markers and the click-id parameter. */
  strip: ReadonlySet<string>;
  /** The click id appended for conversion tracking, or null. */
  clickId: { param: string; value: string } | null;
}

/**
 * Where the redirect sends a visitor: the link's destination exactly as
 * stored, with the visitor's parameters and the click id appended.
 * - nothing in the destination is re-encoded or reordered; its fragment stays last;
 * - a visitor's parameter never overrides a key the destination already has;
 * - when the link carries UTMs, the visitor's utm_* are dropped, so a campaign
 *   cannot be rewritten (or mixed) from the address bar;
 * - linktrack's own markers (the QR marker, a forged click id) are never forwarded.
 */
export function redirectLocation(destination: string, incomingQuery: string, rules: LocationRules): string {
  const { dest: split, destSegments, destKeys, linkHasUtm } = prepared(destination);
  let dest: SplitUrl = split;
  const added: string[] = [];
  if (rules.forwardQuery) {
    for (const segment of segments(incomingQuery)) {
      const key = keyOf(segment);
      if (key === '' || destKeys.has(key) || rules.strip.has(key)) continue;
      if (linkHasUtm && key.startsWith('utm_')) continue;
      added.push(sanitizeSegment(segment));
    }
  }
  if (rules.clickId) {
    const { param, value } = rules.clickId;
    // A destination that carries our parameter (copied from an earlier landing URL) gets this click's.
    if (destKeys.has(param)) {
      dest = { ...dest, query: destSegments.filter((s) => keyOf(s) !== param).join('&') };
    }
    added.push(encodeSegment(param, value));
  }
  return added.length === 0 && dest === split ? destination : joinUrl(appendSegments(dest, added));
}

interface PreparedDestination {
  dest: SplitUrl;
  destSegments: readonly string[];
  destKeys: ReadonlySet<string>;
  linkHasUtm: boolean;
}

/** Destinations split once, not per click: clicks repeat links. Bounded; emptied when full. */
const PREPARED_MAX = 10_000;
const preparedDestinations = new Map<string, PreparedDestination>();

function prepared(destination: string): PreparedDestination {
  let p = preparedDestinations.get(destination);
  if (p) return p;
  const dest = splitUrl(destination);
  const destSegments = segments(dest.query);
  const destKeys = new Set(destSegments.map(keyOf));
  p = { dest, destSegments, destKeys, linkHasUtm: [...destKeys].some((k) => k.startsWith('utm_')) };
  if (preparedDestinations.size >= PREPARED_MAX) preparedDestinations.clear();
  preparedDestinations.set(destination, p);
  return p;
}

export interface UtmReplacement {
  param: string;
  from: string;
  to: string;
}

/**
 * Sets the link's utm_* on a destination URL, once: the first occurrence of
 * each is replaced where it stands, later duplicates are removed, a missing
 * one is appended. Every other parameter keeps its place and its encoding.
 */
export function applyUtm(
  url: string,
  utm: Readonly<Record<string, string>>,
): { url: string; replaced: UtmReplacement[] } {
  const split = splitUrl(url);
  const wanted = new Map(Object.entries(utm).filter(([, v]) => v !== ''));
  const replaced: UtmReplacement[] = [];
  const placed = new Set<string>();
  const kept: string[] = [];
  for (const segment of segments(split.query)) {
    const key = keyOf(segment);
    const value = wanted.get(key);
    if (value === undefined) {
      kept.push(segment);
      continue;
    }
    if (placed.has(key)) continue;
    const from = segmentValue(segment);
    if (from !== value) replaced.push({ param: key, from, to: value });
    kept.push(encodeSegment(key, value));
    placed.add(key);
  }
  const missing = [...wanted].filter(([k]) => !placed.has(k)).map(([k, v]) => encodeSegment(k, v));
  // Rebuilt from kept pieces only when something changed, so an untouched query stays byte-for-byte.
  const changed = replaced.length > 0 || missing.length > 0 || kept.length !== segments(split.query).length;
  const query = changed ? kept.join('&') : split.query;
  return { url: joinUrl(appendSegments({ ...split, query }, missing)), replaced };
}
