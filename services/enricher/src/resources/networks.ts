import { readFileSync } from 'node:fs';
import { RangeSet } from '../net/range-set.js';

/** The shape of data/scanner-networks.json; see that file and the README for what each list means. */
export interface NetworkListsFile {
  version: number;
  scanners: { name: string; asns: number[]; cidrs: string[] }[];
  datacenter: { asns: number[]; org_patterns: string[] };
  privacy_relays: { asns: number[] };
}

/** What the classifier knows about networks, compiled for lookups. */
export interface NetworkLists {
  /** The data file's version; part of classifier_version. */
  version: number;
  /** The email security scanner whose network `ip` (or `asn`) is, or ''. */
  scannerOf(ip: string, asn: number): string;
  /** A hosting or cloud network, by ASN or by what its organisation calls itself. */
  isHosting(asn: number, org: string): boolean;
  /** A CDN network that privacy relays exit through. */
  isRelayNetwork(asn: number): boolean;
  /** An address the operator listed as a privacy relay exit (LINKTRACK_PRIVACY_RELAY_RANGES). */
  isRelayAddress(ip: string): boolean;
}

export const NETWORKS_FILE = new URL('../../data/scanner-networks.json', import.meta.url);

export function readNetworkListsFile(path: URL | string = NETWORKS_FILE): NetworkListsFile {
  return JSON.parse(readFileSync(path, 'utf8')) as NetworkListsFile;
}

/**
 * Compiles the lists. Organisation patterns are matched once per ASN (memoized:
 * there are fewer than 100,000 ASNs, and a few hundred carry most clicks).
 */
export function compileNetworkLists(
  file: NetworkListsFile,
  relayRanges: RangeSet | null = null,
): NetworkLists {
  const names = file.scanners.map((s) => s.name);
  const scannerAsns = new Map<number, string>();
  const builder = RangeSet.builder();
  file.scanners.forEach((s, i) => {
    for (const asn of s.asns) scannerAsns.set(asn, s.name);
    for (const cidr of s.cidrs) {
      if (!builder.addCidr(cidr, i)) throw new Error(`scanner-networks: "${cidr}" (${s.name}) is not a CIDR`);
    }
  });
  const scannerRanges = builder.build();
  const hostingAsns = new Set(file.datacenter.asns);
  const orgPattern = new RegExp(file.datacenter.org_patterns.join('|'), 'i');
  const hostingByOrg = new Map<number, boolean>();
  const relayAsns = new Set(file.privacy_relays.asns);
  return {
    version: file.version,
    scannerOf(ip, asn) {
      const byRange = scannerRanges.find(ip);
      if (byRange >= 0) return names[byRange] as string;
      return scannerAsns.get(asn) ?? '';
    },
    isHosting(asn, org) {
      if (asn === 0) return false;
      if (hostingAsns.has(asn)) return true;
      let hosting = hostingByOrg.get(asn);
      if (hosting === undefined) {
        hosting = orgPattern.test(org);
        if (hostingByOrg.size < 200_000) hostingByOrg.set(asn, hosting);
      }
      return hosting;
    },
    isRelayNetwork: (asn) => relayAsns.has(asn),
    isRelayAddress: (ip) => relayRanges?.has(ip) ?? false,
  };
}

/**
 * Privacy relay egress ranges an operator downloads, e.g. Apple's
 * egress-ip-ranges.csv: one range per line, the CIDR in the first column
 * (`172.224.226.0/27,GB,GB-EN,London,`). Lines that are not a CIDR are skipped.
 */
export function readRelayRanges(paths: readonly string[]): RangeSet | null {
  if (paths.length === 0) return null;
  const builder = RangeSet.builder();
  for (const path of paths) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const cidr = line.split(',', 1)[0]?.trim();
      if (cidr && !cidr.startsWith('#')) builder.addCidr(cidr);
    }
  }
  return builder.build();
}
