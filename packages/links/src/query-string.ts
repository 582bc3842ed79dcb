/**
 * Raw query-string handling that keeps what was written: key order, repeated
 * keys, bare keys (`a`), empty values (`a=`), `+` versus `%20`, and the
 * fragment after it. URLSearchParams re-encodes the whole query, so it is
 * only ever used here to decode a key for comparison, never to write one.
 */
export interface SplitUrl {
  /** Everything before the query: scheme, authority and path. */
  base: string;
  /** The query without its `?`; null when the URL has no `?` at all. */
  query: string | null;
  /** The fragment with its `#`, or ''. A `?` inside it is part of it. */
  fragment: string;
}

export function splitUrl(url: string): SplitUrl {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return { base: beforeHash, query: null, fragment };
  return { base: beforeHash.slice(0, queryAt), query: beforeHash.slice(queryAt + 1), fragment };
}

export function joinUrl({ base, query, fragment }: SplitUrl): string {
  return `${base}${query === null ? '' : `?${query}`}${fragment}`;
}

/** The `&`-separated pieces of a query, as written; empty pieces (`a=1&&b=2`) are dropped. */
export function segments(query: string | null): string[] {
  if (!query) return [];
  return query.split('&').filter((s) => s !== '');
}

/** A segment's key, decoded the way forms are (`+` is a space), for comparison only. */
export function keyOf(segment: string): string {
  const eq = segment.indexOf('=');
  const raw = (eq === -1 ? segment : segment.slice(0, eq)).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // malformed escapes compare as written
  }
}

/** A segment's value, decoded like its key; '' for a bare key. */
export function segmentValue(segment: string): string {
  const eq = segment.indexOf('=');
  if (eq === -1) return '';
  const raw = segment.slice(eq + 1).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** `key=value` with both encoded for a query (spaces as %20). */
export function encodeSegment(key: string, value: string): string {
  return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
}

// What may appear raw in a query (RFC 3986 query chars, and `%` of existing escapes).
const QUERY_SAFE = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/gu;

/**
 * A segment from a request line, made safe for a Location header without
 * touching what is already valid: only characters a query may not hold raw
 * (non-ASCII, quotes, spaces, ...) are percent-encoded.
 */
export function sanitizeSegment(segment: string): string {
  return segment.replace(QUERY_SAFE, (c) => encodeURIComponent(c));
}

/** Appends segments to a query, keeping a trailing `?` or `&` the author wrote. */
export function appendSegments(url: SplitUrl, added: string[]): SplitUrl {
  if (added.length === 0) return url;
  const query = url.query ?? '';
  const joiner = query === '' || query.endsWith('&') ? '' : '&';
  return { ...url, query: `${query}${joiner}${added.join('&')}` };
}
