import { randomInt } from 'node:crypto';
import { LinkError } from './errors.js';

/**
 * No 0/O, 1/l/I: slugs are read off paper and screens, and typed from QR
 * captions and emails. 57^7 ≈ 2e12 slugs at the default length.
 */
const ALPHABET = '23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
export const SLUG_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const SLUG_RE = new RegExp(SLUG_PATTERN);

/** Paths the redirect serves itself, so they can never be slugs. */
export const RESERVED_SLUGS = new Set(['healthz', 'readyz', 'metrics', 'v1', 'api', 'admin', 'static']);

export function generateSlug(length = 7): string {
  let slug = '';
  for (let i = 0; i < length; i++) slug += ALPHABET[randomInt(ALPHABET.length)];
  return slug;
}

/** Whether `text` has the shape of a slug (reserved or not): what a link could be found under. */
export function looksLikeSlug(text: string): boolean {
  return SLUG_RE.test(text);
}

export function validateSlug(slug: string): void {
  if (!looksLikeSlug(slug)) {
    throw new LinkError(
      'LT_LINK_BAD_SLUG',
      'slug',
      'must be 1-64 characters of letters, digits, "-" or "_", starting with a letter or digit',
    );
  }
  if (RESERVED_SLUGS.has(slug.toLowerCase())) {
    throw new LinkError('LT_LINK_RESERVED_SLUG', 'slug', `"${slug}" is reserved`);
  }
}
