import { ipPrefix } from '@linktrack/ip';
import type { Enrichment } from './enrichment.js';

export const ipPrefixEnrichment: Enrichment = {
  name: 'ip_prefix',
  run: (click) => ({ ip_prefix: ipPrefix(click.ip) }),
};
