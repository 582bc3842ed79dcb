import type { Enrichment } from './enrichment.js';

/** A daily-salted hash of the client's address and user agent (resources/visitor-hash.ts); the address itself goes no further. */
export const visitorHashEnrichment: Enrichment = {
  name: 'visitor_hash',
  run: (click, ctx) => ({ visitor_hash: ctx.visitors.hash(click.ts, click.ip, click.user_agent) }),
};
