import { randomBytes } from 'node:crypto';
import { readUtm, type UtmKey } from '@linktrack/links';
import type { EnrichedClick, ReferrerMedium } from '@linktrack/streams';
import { type Classifier, createClassifier } from '../classifier/classifier.js';
import { type AsnLookup, NO_ASN } from '../resources/asn.js';
import { type BurstDetector, createBurstDetector } from '../resources/burst.js';
import type { GeoLookup } from '../resources/geo.js';
import { memoize } from '../resources/lru.js';
import { compileNetworkLists, type NetworkLists, readNetworkListsFile } from '../resources/networks.js';
import type { UserAgentParser } from '../resources/user-agent.js';
import { createVisitorHasher, type VisitorHasher } from '../resources/visitor-hash.js';
import { referrerDomain } from './referrer.js';
import { mediumOfAppReferrer, mediumOfHost } from './referrer-medium.js';

/** Costly resources, built once at start and shared by every enrichment. */
export interface EnrichContext {
  geo: GeoLookup;
  userAgents: UserAgentParser;
  asn: AsnLookup;
  networks: NetworkLists;
  classifier: Classifier;
  /** Recent clicks per client, for the burst signal; null when the signal is off. */
  bursts: BurstDetector<EnrichedClick> | null;
  visitors: VisitorHasher;
  /** utm_* of a destination URL; memoized, since one link's clicks share one destination. */
  utmOf: (destination: string) => Record<`utm_${UtmKey}`, string>;
  /** The referring domain; memoized, since a few referrers bring most clicks and URL parsing is not free. */
  domainOf: (referrer: string) => string;
  /** Where a visit came from: direct, internal, or by the referrer's host (memoized per host and destination host). */
  mediumOf: (referrer: string, domain: string, destination: string) => ReferrerMedium;
}

export interface EnrichOptions {
  asn?: AsnLookup;
  networks?: NetworkLists;
  /** Signals turned off (LINKTRACK_BOT_SIGNALS_OFF). */
  signalsOff?: readonly string[];
  /** The visitor-hash secret; a random one (hashes that only this process agrees on) when absent. */
  visitorSecret?: string;
  /** Hosts of the short links themselves (LINKTRACK_BASE_URL): a referrer from one is internal. */
  ownHosts?: readonly string[];
}

export function createEnrichContext(
  geo: GeoLookup,
  userAgents: UserAgentParser,
  options: EnrichOptions = {},
): EnrichContext {
  const networks = options.networks ?? compileNetworkLists(readNetworkListsFile());
  const off = options.signalsOff ?? [];
  const own = new Set((options.ownHosts ?? []).map((h) => h.toLowerCase().replace(/^www\./, '')));
  const hostOf = memoize(referrerDomain, 10_000);
  const byHost = memoize(mediumOfHost, 10_000);
  return {
    geo,
    userAgents,
    asn: options.asn ?? NO_ASN,
    networks,
    classifier: createClassifier({ networks }, off),
    bursts: off.includes('burst') ? null : createBurstDetector<EnrichedClick>(),
    visitors: createVisitorHasher(options.visitorSecret ?? randomBytes(32).toString('hex')),
    utmOf: memoize(readUtm, 10_000),
    domainOf: hostOf,
    mediumOf: (referrer, domain, destination) => {
      if (referrer === '') return 'direct';
      if (domain === '') return mediumOfAppReferrer(referrer);
      if (own.has(domain) || domain === hostOf(destination)) return 'internal';
      return byHost(domain);
    },
  };
}
