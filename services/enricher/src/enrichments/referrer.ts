import type { Enrichment } from './enrichment.js';

/** The referring host without "www.", so www.example.com and example.com group together. */
export function referrerDomain(referer: string): string {
  if (referer === '') return '';
  try {
    const { hostname, protocol } = new URL(referer);
    if (protocol !== 'http:' && protocol !== 'https:') return '';
    return hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/**
 * The referrer, its domain, and its medium: direct without one; internal from
 * the destination's own site or the short-link host; else by the lists in
 * referrer-medium.ts (search, social, email), and unknown for the rest.
 */
export const referrerEnrichment: Enrichment = {
  name: 'referrer',
  run: (click, ctx) => {
    const referrer = click.referer;
    const domain = ctx.domainOf(referrer);
    return {
      referrer,
      referrer_domain: domain,
      referrer_medium: ctx.mediumOf(referrer, domain, click.destination),
    };
  },
};
