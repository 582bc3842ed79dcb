import { addressClass } from '@linktrack/ip';
import { LinkError } from './errors.js';

export const MAX_DESTINATION_LENGTH = 8_000;

/**
 * A destination linktrack will redirect to: http(s), a host, no credentials,
 * IDN hosts in punycode, at most 8,000 characters, and no private, loopback
 * or link-local address unless allowed (metadata endpoints never are).
 * Returns the URL as the parser normalizes it; the query keeps its encoding.
 */
export function validateDestination(url: string, options: { allowPrivate: boolean }): string {
  if (url.length > MAX_DESTINATION_LENGTH) {
    throw new LinkError(
      'LT_LINK_URL_TOO_LONG',
      'url',
      `is ${url.length} characters; at most ${MAX_DESTINATION_LENGTH}`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LinkError('LT_LINK_BAD_URL', 'url', 'must be an absolute URL such as https://example.com/page');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new LinkError(
      'LT_LINK_BAD_SCHEME',
      'url',
      `must use http or https, got ${parsed.protocol.replace(':', '')}`,
    );
  }
  if (parsed.hostname === '') throw new LinkError('LT_LINK_NO_HOST', 'url', 'must name a host');
  if (parsed.username !== '' || parsed.password !== '') {
    throw new LinkError('LT_LINK_CREDENTIALS', 'url', 'must not carry a user name or password');
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const cls = addressClass(host) ?? (isLocalName(host) ? 'loopback' : 'public');
  if (cls === 'metadata') {
    throw new LinkError('LT_LINK_PRIVATE_DESTINATION', 'url', 'must not be a cloud metadata address');
  }
  if (cls !== 'public' && !options.allowPrivate) {
    throw new LinkError(
      'LT_LINK_PRIVATE_DESTINATION',
      'url',
      `points at a ${cls.replace('_', '-')} address; set LINKTRACK_ALLOW_PRIVATE_DESTINATIONS=1 to allow it`,
    );
  }
  if (parsed.href.length > MAX_DESTINATION_LENGTH) {
    throw new LinkError(
      'LT_LINK_URL_TOO_LONG',
      'url',
      `is over ${MAX_DESTINATION_LENGTH} characters once encoded`,
    );
  }
  return parsed.href;
}

function isLocalName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}
