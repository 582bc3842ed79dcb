import { unmapIpv4 } from '@linktrack/ip';
import type { Enrichment } from './enrichment.js';

export const geoEnrichment: Enrichment = {
  name: 'geo',
  run: (click, ctx) => ctx.geo.lookup(unmapIpv4(click.ip)) ?? { country: '', region: '', city: '' },
};
