import type { Enrichment } from './enrichment.js';

/** UTMs come from the link's destination: that is what the landing page will see. */
export const utmEnrichment: Enrichment = {
  name: 'utm',
  run: (click, ctx) => ctx.utmOf(click.destination),
};
