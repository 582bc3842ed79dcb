import type { Enrichment } from './enrichment.js';

const NONE = { asn: 0, asn_org: '' };

/** The client network's ASN and organisation: the datacenter and scanner signals read them, and they are stored for re-classification. */
export const asnEnrichment: Enrichment = {
  name: 'asn',
  run: (click, ctx, soFar) => {
    const found = ctx.asn.lookupNetwork(soFar.ip_prefix, click.ip);
    return found ? { asn: found.asn, asn_org: found.org } : NONE;
  },
};
