/**
 * Caches a lookup by the client's network (IPv4 /24, IPv6 /48: its ip_prefix)
 * rather than its address: people on one network share their geography and
 * ASN, and there are far fewer networks than addresses, so the cache holds.
 * A miss looks up the address itself; its network keeps that answer (a range
 * boundary inside a /24 is rare, and then the first address seen decides).
 * Two generations, as in lru.ts.
 */
export function cacheByNetwork<V>(
  lookup: (ip: string) => V,
  maxEntries: number,
): (prefix: string, ip: string) => V {
  const limit = Math.max(1, Math.floor(maxEntries / 2));
  let current = new Map<string, V>();
  let old = new Map<string, V>();
  return (prefix, ip) => {
    // No prefix (not an address): nothing to share, and nothing to find either.
    if (prefix === '') return lookup(ip);
    if (current.has(prefix)) return current.get(prefix) as V;
    const value = old.has(prefix) ? (old.get(prefix) as V) : lookup(ip);
    if (current.size >= limit) {
      old = current;
      current = new Map();
    }
    current.set(prefix, value);
    return value;
  };
}
