import { readFileSync } from 'node:fs';
import { RangeSet } from '../net/range-set.js';
import { cacheByNetwork } from './network-cache.js';

export interface AsnResult {
  asn: number;
  org: string;
}

export interface AsnLookup {
  /** The network's ASN and organisation; null when the address is in no announced range. */
  lookup(ip: string): AsnResult | null;
  /** The same, cached by the client's network (its ip_prefix): see network-cache.ts. */
  lookupNetwork(prefix: string, ip: string): AsnResult | null;
  /** Ranges loaded, for the start-up log. */
  readonly ranges: number;
}

/** An ASN lookup that knows nothing: when the database is turned off. */
export const NO_ASN: AsnLookup = { lookup: () => null, lookupNetwork: () => null, ranges: 0 };

/**
 * The ASN database of @ip-location-db/asn (RouteViews, the five RIRs and
 * DB-IP's IP-to-ASN Lite, CC BY 4.0) in its numeric CSV files,
 * `start,end,asn,organisation` (see bundledAsnPaths in @linktrack/config).
 * Reads the CSV files once at start into sorted typed arrays (about 500,000
 * ranges, a few MB); a lookup is a binary search, no cache needed for IPv4.
 * Files whose numbers exceed 32 bits hold IPv6 ranges.
 */
export function openAsnLookup(paths: readonly string[]): AsnLookup {
  const builder = RangeSet.builder();
  const results: AsnResult[] = [];
  const byAsn = new Map<number, number>();
  for (const path of paths) {
    const text = readFileSync(path, 'latin1');
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      const line = text.slice(at, end);
      at = end + 1;
      const c1 = line.indexOf(',');
      const c2 = line.indexOf(',', c1 + 1);
      const c3 = line.indexOf(',', c2 + 1);
      if (c1 <= 0 || c2 <= 0 || c3 <= 0) continue;
      const asn = Number(line.slice(c2 + 1, c3));
      if (!Number.isFinite(asn)) continue;
      let index = byAsn.get(asn);
      if (index === undefined) {
        index = results.length;
        results.push({ asn, org: unquote(line.slice(c3 + 1)) });
        byAsn.set(asn, index);
      }
      const startText = line.slice(0, c1);
      if (startText.length <= 10) builder.addV4(Number(startText), Number(line.slice(c1 + 1, c2)), index);
      else builder.addV6(BigInt(startText) >> 64n, BigInt(line.slice(c1 + 1, c2)) >> 64n, index);
    }
  }
  const set = builder.build();
  const lookup = (ip: string): AsnResult | null => {
    const index = set.find(ip);
    return index < 0 ? null : (results[index] as AsnResult);
  };
  return { ranges: set.size, lookup, lookupNetwork: cacheByNetwork(lookup, 50_000) };
}

function unquote(field: string): string {
  const trimmed = field.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"')
    ? trimmed.slice(1, -1).replace(/""/g, '"')
    : trimmed;
}
