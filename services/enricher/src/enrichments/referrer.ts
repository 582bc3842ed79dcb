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

export const referrerEnrichment: Enrichment = {
  name: 'referrer',
  run: (click, ctx) => ({ referrer: click.referer, referrer_domain: ctx.domainOf(click.referer) }),
};
