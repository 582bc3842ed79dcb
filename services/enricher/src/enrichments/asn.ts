import type { Enrichment } from './enrichment.js';

/** The client network's ASN and organisation: the datacenter and scanner signals read them, and they are stored for re-classification. */
export const asnEnrichment: Enrichment = {
  name: 'asn',
  run: (click, ctx) => {
    const found = ctx.asn.lookup(click.ip);
    return found ? { asn: found.asn, asn_org: found.org } : { asn: 0, asn_org: '' };
  },
};
