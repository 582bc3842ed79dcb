import type { Bus } from '@linktrack/bus';
import { type Codec, type LinkEvent, TOPICS } from '@linktrack/streams';
import type { Logger } from '@linktrack/telemetry';

/**
 * Every redirect (and the api) keeps all links in memory, fed from the links
 * topic: a redirect never waits on a database, and a change made anywhere
 * reaches every instance through the bus.
 */
export class LinkIndex {
  private readonly links = new Map<string, LinkEvent>();
  private readonly claims = new Map<string, (won: boolean) => void>();
  private loaded = false;
  private readonly loadWaiters: (() => void)[] = [];

  get(slug: string): LinkEvent | undefined {
    return this.links.get(slug);
  }

  /** Every link, in no particular order. */
  all(): IterableIterator<LinkEvent> {
    return this.links.values();
  }

  get size(): number {
    return this.links.size;
  }

  get ready(): boolean {
    return this.loaded;
  }

  /**
   * Applies one state from the links topic. Of two creates of one slug (two
   * claims), the first in the topic wins everywhere, because every index reads
   * the same single partition in the same order; the later one is ignored.
   */
  apply(event: LinkEvent): 'applied' | 'stale' | 'lost' {
    const current = this.links.get(event.slug);
    if (current?.claim_id && event.claim_id && current.claim_id !== event.claim_id) {
      this.settle(event.claim_id, false);
      return 'lost';
    }
    // Ignore a stale event replayed after a newer one.
    if (current && current.updated_at > event.updated_at) {
      this.settle(event.claim_id, true);
      return 'stale';
    }
    this.links.set(event.slug, event);
    this.settle(event.claim_id, true);
    return 'applied';
  }

  /**
   * Resolves true once a state carrying `claimId` is applied, false once it
   * lost its slug to an earlier claim; rejects after `timeoutMs`. Register it
   * before publishing the claim.
   */
  awaitClaim(claimId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.claims.delete(claimId);
        reject(new Error(`claim ${claimId} not seen on the links topic within ${timeoutMs} ms`));
      }, timeoutMs);
      this.claims.set(claimId, (won) => {
        clearTimeout(timer);
        resolve(won);
      });
    });
  }

  private settle(claimId: string, won: boolean): void {
    if (!claimId) return;
    const waiter = this.claims.get(claimId);
    if (!waiter) return;
    this.claims.delete(claimId);
    waiter(won);
  }

  markLoaded(): void {
    this.loaded = true;
    for (const resolve of this.loadWaiters.splice(0)) resolve();
  }

  /** Resolves once the index has read the whole links topic. */
  whenLoaded(): Promise<void> {
    return this.loaded ? Promise.resolve() : new Promise((resolve) => this.loadWaiters.push(resolve));
  }
}

export interface FollowOptions {
  bus: Bus;
  codec: Codec<LinkEvent>;
  logger: Logger;
  /** Each instance needs every link, so each follows with a group of its own. */
  group: string;
}

/** Loads the whole registry, marks the index ready once caught up, then keeps following. */
export async function followLinks(index: LinkIndex, options: FollowOptions) {
  const { bus, codec, logger, group } = options;
  const targets = await bus.endOffsets(TOPICS.links);
  const reached = new Map<number, bigint>();
  const caughtUp = () =>
    [...targets].every(
      ([partition, end]) => BigInt(end) === 0n || (reached.get(partition) ?? -1n) >= BigInt(end) - 1n,
    );
  if (caughtUp()) index.markLoaded();
  const subscription = await bus.subscribe(
    TOPICS.links,
    group,
    async (batch) => {
      for (const message of batch.messages) {
        try {
          index.apply(codec.decode(message.value));
        } catch (err) {
          logger.error(
            { event: 'link_event_undecodable', offset: message.offset, err },
            'skipping a bad link event',
          );
        }
        reached.set(batch.partition, BigInt(message.offset));
      }
      if (!index.ready && caughtUp()) {
        index.markLoaded();
        logger.info({ event: 'link_index_loaded', links: index.size }, 'link index loaded');
      }
    },
    { fromBeginning: true, maxBatchSize: 5_000, commit: false },
  );
  return subscription;
}
