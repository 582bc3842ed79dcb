import { isIP } from 'node:net';
import maxmind from 'maxmind';
import { cacheByNetwork } from './network-cache.js';

export interface GeoResult {
  country: string;
  region: string;
  city: string;
}

export interface GeoLookup {
  lookup(ip: string): GeoResult | null;
  /** The same, cached by the client's network (its ip_prefix): see network-cache.ts. */
  lookupNetwork(prefix: string, ip: string): GeoResult | null;
}

/**
 * Both record schemas in one type: DB-IP Lite as ip-location-db ships it is
 * flat (country_code, state1, city); MaxMind GeoLite2/GeoIP2-City is nested
 * with localized names.
 */
interface CityRecord {
  country_code?: string;
  state1?: string;
  city?: string | { names?: Record<string, string> };
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  subdivisions?: Array<{ names?: Record<string, string> }>;
}

/** Reads either record schema into one shape; '' for whatever is unknown. */
export function normalizeCityRecord(record: CityRecord | null | undefined): GeoResult | null {
  if (!record) return null;
  const flat = typeof record.country_code === 'string' || typeof record.city === 'string';
  if (!flat) {
    return {
      country: (record.country?.iso_code ?? record.registered_country?.iso_code ?? '').toUpperCase(),
      region: record.subdivisions?.[0]?.names?.en ?? '',
      city: typeof record.city === 'object' ? (record.city.names?.en ?? '') : '',
    };
  }
  return {
    country: (record.country_code ?? '').toUpperCase(),
    region: record.state1 ?? '',
    city: typeof record.city === 'string' ? record.city : '',
  };
}

/**
 * Opens every mmdb file once. DB-IP ships one file per IP version, MaxMind
 * one file for both, so an address is looked up in the files that can hold it:
 * IPv4 files first for IPv4, IPv6 files only for IPv6.
 */
export async function openGeoLookup(paths: string[], cacheSize = 50_000): Promise<GeoLookup> {
  const readers = await Promise.all(paths.map(openReader));
  const v4 = [...readers.filter((r) => ipVersionOf(r) === 4), ...readers.filter((r) => ipVersionOf(r) === 6)];
  const v6 = readers.filter((r) => ipVersionOf(r) === 6);
  const find = (ip: string): GeoResult | null => {
    const version = isIP(ip);
    const candidates = version === 4 ? v4 : version === 6 ? v6 : [];
    for (const reader of candidates) {
      const found = normalizeCityRecord(reader.get(ip));
      if (found) return found;
    }
    return null;
  };
  // Networks repeat far more than addresses; a cache skips the tree walk for them.
  return { lookup: find, lookupNetwork: cacheByNetwork(find, cacheSize) };
}

/** The part of maxmind's Reader we use; its typings only know MaxMind's own record shapes. */
interface MmdbReader {
  get(ip: string): CityRecord | null;
  metadata: { ipVersion: number };
}

async function openReader(path: string): Promise<MmdbReader> {
  return (await maxmind.open(path, { watchForUpdates: false })) as unknown as MmdbReader;
}

function ipVersionOf(reader: MmdbReader): number {
  return reader.metadata.ipVersion;
}
