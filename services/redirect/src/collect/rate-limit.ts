/**
 * A token bucket per client address: `burst` requests at once, refilled at
 * `perSecond`. At most `maxClients` buckets are held; the longest-known goes
 * first, so a flood of addresses costs memory up to that bound only.
 */
export interface RateLimiter {
  /** Takes one token; false when the client has none left. */
  take(client: string, now?: number): boolean;
}

export function createRateLimiter(options: {
  burst: number;
  perSecond: number;
  maxClients: number;
}): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client, now = Date.now()) {
      let bucket = buckets.get(client);
      if (!bucket) {
        if (buckets.size >= options.maxClients) buckets.delete(buckets.keys().next().value as string);
        bucket = { tokens: options.burst, at: now };
        buckets.set(client, bucket);
      }
      bucket.tokens = Math.min(
        options.burst,
        bucket.tokens + ((now - bucket.at) / 1_000) * options.perSecond,
      );
      bucket.at = now;
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
