/**
 * Why a request did or did not redirect, after Shlink's visit types. A new
 * value is added here, then to whatever produces it; readers (the enricher)
 * reject a value they do not know, so they are deployed first.
 */
export const VISIT_TYPES = [
  'redirect',
  /** a well-formed slug that matches no link */
  'unknown_slug',
  /** a link whose status is disabled */
  'disabled',
  /** a link past its expires_at */
  'expired',
  /** a link whose cap on human clicks (max_human_clicks) was reached */
  'exhausted',
  /** a request for `/` */
  'base_url',
  /** a path that cannot be a slug, e.g. /favicon.ico or /a/b */
  'invalid_path',
] as const;

export type VisitType = (typeof VISIT_TYPES)[number];

const KNOWN = new Set<string>(VISIT_TYPES);

export function isVisitType(value: string): value is VisitType {
  return KNOWN.has(value);
}

/** Events written before visit_type existed only say whether a link was found. */
export function legacyVisitType(linkFound: boolean): VisitType {
  return linkFound ? 'redirect' : 'unknown_slug';
}
