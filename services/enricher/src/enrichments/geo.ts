import { unmapIpv4 } from '@linktrack/ip';
import type { Enrichment } from './enrichment.js';

const UNKNOWN = { country: '', region: '', city: '' };

/** Country, region and city of the client's network (cached per /24 or /48: see network-cache.ts). */
export const geoEnrichment: Enrichment = {
  name: 'geo',
  run: (click, ctx, soFar) => ctx.geo.lookupNetwork(soFar.ip_prefix, unmapIpv4(click.ip)) ?? UNKNOWN,
};
