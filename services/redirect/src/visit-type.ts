import { linkState, looksLikeSlug } from '@linktrack/links';
import type { LinkEvent, VisitType } from '@linktrack/streams';

/** Why a request for /<slug> redirects, or does not; `/` itself is a base_url visit. */
export function visitTypeOf(slug: string, link: LinkEvent | undefined, now: number): VisitType {
  if (link === undefined) return looksLikeSlug(slug) ? 'unknown_slug' : 'invalid_path';
  const state = linkState(link, now);
  return state === 'active' ? 'redirect' : state;
}

/** The path a request asked for, as an invalid_path visit records it in `slug`. */
export function requestedPath(url: string): string {
  const end = url.indexOf('?');
  return (end === -1 ? url : url.slice(0, end)).replace(/^\//, '').slice(0, 256);
}
