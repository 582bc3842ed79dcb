/**
 * Burst detection: one client (the full address and user agent, held in
 * memory only; stored clicks use their visitor hash, which is exactly that
 * pair for one day) requesting 3 or more different slugs within 2 s, or the
 * same slug more than 5 times within 10 s. People do neither; scanners that
 * open every link of an email at once do both.
 *
 * Memory is bounded: at most `maxClients` clients (those not seen for longest
 * go first) and `maxEntries` recent clicks each. The raw topic is keyed by the
 * client's network, so one client's clicks reach one enricher instance.
 */
export interface BurstRules {
  distinctSlugs: number;
  distinctWindowMs: number;
  sameSlugMax: number;
  sameSlugWindowMs: number;
}

export const BURST_RULES: BurstRules = {
  distinctSlugs: 3,
  distinctWindowMs: 2_000,
  sameSlugMax: 5,
  sameSlugWindowMs: 10_000,
};

interface Entry<T> {
  ts: number;
  slug: string;
  ref: T | null;
}

export interface BurstDetector<T> {
  /**
   * Records a click. When it makes (or continues) a burst, returns the burst's
   * clicks still remembered, this one included, by the refs they were recorded with.
   */
  observe(client: string, slug: string, ts: number, ref: T): T[] | null;
  /** Forgets the refs of clicks recorded so far (they were published), keeping their times. */
  releaseRefs(): void;
  readonly clients: number;
}

export function createBurstDetector<T>(
  options: { maxClients?: number; maxEntries?: number; rules?: BurstRules } = {},
): BurstDetector<T> {
  const rules = options.rules ?? BURST_RULES;
  const maxClients = options.maxClients ?? 100_000;
  const maxEntries = options.maxEntries ?? 32;
  const horizon = Math.max(rules.distinctWindowMs, rules.sameSlugWindowMs);
  // Two generations: a client seen again is copied forward, and the older generation is
  // dropped whole (no per-click deletes or iterators) when the current one is full or older
  // than the longest window, since a client unseen for that long has nothing left to match.
  // Only recently active clients are held, which keeps the garbage collector's work small.
  const limit = Math.max(1, Math.floor(maxClients / 2));
  let current = new Map<string, Entry<T>[]>();
  let old = new Map<string, Entry<T>[]>();
  let generationStart = Number.NEGATIVE_INFINITY;
  const holding: Entry<T>[] = [];

  return {
    get clients() {
      return current.size + old.size;
    },
    observe(client, slug, ts, ref) {
      let entries = current.get(client);
      if (entries === undefined) {
        entries = old.get(client) ?? [];
        if (current.size >= limit || ts - generationStart > horizon) {
          old = current;
          current = new Map();
          generationStart = ts;
        }
        current.set(client, entries);
      }
      // Forget what is past every window; clicks arrive nearly in time order.
      let stale = 0;
      while (stale < entries.length && (entries[stale] as Entry<T>).ts < ts - horizon) stale++;
      if (stale > 0) entries.splice(0, stale);
      if (entries.length >= maxEntries) entries.shift();
      const entry: Entry<T> = { ts, slug, ref };
      entries.push(entry);
      holding.push(entry);
      if (entries.length < 3) return null;

      const members: T[] = [];
      // Different slugs (no set is made: a client's window holds a handful of clicks) within the short window.
      let distinct = 0;
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i] as Entry<T>;
        if (e.ts < ts - rules.distinctWindowMs) continue;
        let repeat = false;
        for (let j = 0; j < i && !repeat; j++) {
          const f = entries[j] as Entry<T>;
          repeat = f.slug === e.slug && f.ts >= ts - rules.distinctWindowMs;
        }
        if (!repeat) distinct++;
      }
      if (distinct >= rules.distinctSlugs) {
        for (const e of entries)
          if (e.ts >= ts - rules.distinctWindowMs && e.ref !== null) members.push(e.ref);
        return members;
      }
      // The same slug again and again.
      let same = 0;
      for (const e of entries) if (e.slug === slug && e.ts >= ts - rules.sameSlugWindowMs) same++;
      if (same > rules.sameSlugMax) {
        for (const e of entries)
          if (e.slug === slug && e.ts >= ts - rules.sameSlugWindowMs && e.ref !== null) members.push(e.ref);
        return members;
      }
      return null;
    },
    releaseRefs() {
      for (const e of holding) e.ref = null;
      holding.length = 0;
    },
  };
}
