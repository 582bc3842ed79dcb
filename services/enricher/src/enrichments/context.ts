import { readUtm, type UtmKey } from '@linktrack/links';
import type { GeoLookup } from '../resources/geo.js';
import { memoize } from '../resources/lru.js';
import type { UserAgentParser } from '../resources/user-agent.js';
import { referrerDomain } from './referrer.js';

/** Costly resources, built once at start and shared by every enrichment. */
export interface EnrichContext {
  geo: GeoLookup;
  userAgents: UserAgentParser;
  /** utm_* of a destination URL; memoized, since one link's clicks share one destination. */
  utmOf: (destination: string) => Record<`utm_${UtmKey}`, string>;
  /** The referring domain; memoized, since a few referrers bring most clicks and URL parsing is not free. */
  domainOf: (referrer: string) => string;
}

export function createEnrichContext(geo: GeoLookup, userAgents: UserAgentParser): EnrichContext {
  return { geo, userAgents, utmOf: memoize(readUtm, 10_000), domainOf: memoize(referrerDomain, 10_000) };
}
