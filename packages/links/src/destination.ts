import { LinkError } from './errors.js';

export const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof UTM_KEYS)[number];
export type Utm = Partial<Record<UtmKey, string>>;

export interface Destination {
  destination: string;
  utm: Record<`utm_${UtmKey}`, string>;
  warnings: string[];
}

/**
 * Applies the link's UTM parameters to its URL. The result is what the
 * redirect sends visitors to and what analytics read the UTMs from.
 */
export function buildDestination(url: string, utm: Utm | undefined): Destination {
  const parsed = parseHttpUrl(url);
  const warnings: string[] = [];
  for (const key of UTM_KEYS) {
    const value = utm?.[key];
    if (value === undefined) continue;
    if (value.trim() === '') throw new LinkError('LT_LINK_BAD_UTM', `utm.${key}`, 'must not be empty');
    const existing = parsed.searchParams.get(`utm_${key}`);
    if (existing !== null && existing !== value) {
      warnings.push(`url already had utm_${key}="${existing}"; replaced with "${value}"`);
    }
    parsed.searchParams.set(`utm_${key}`, value);
  }
  const final = parsed.toString();
  return { destination: final, utm: readUtm(final), warnings };
}

/** The utm_* parameters of a URL, '' for each one it lacks. */
export function readUtm(url: string): Record<`utm_${UtmKey}`, string> {
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    params = new URLSearchParams();
  }
  return {
    utm_source: params.get('utm_source') ?? '',
    utm_medium: params.get('utm_medium') ?? '',
    utm_campaign: params.get('utm_campaign') ?? '',
    utm_term: params.get('utm_term') ?? '',
    utm_content: params.get('utm_content') ?? '',
  };
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LinkError('LT_LINK_BAD_URL', 'url', 'must be an absolute URL such as https://example.com/page');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LinkError(
      'LT_LINK_BAD_URL',
      'url',
      `must use http or https, got ${parsed.protocol.replace(':', '')}`,
    );
  }
  return parsed;
}
