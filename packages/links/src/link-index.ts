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
  private loaded = false;

  get(slug: string): LinkEvent | undefined {
    return this.links.get(slug);
  }

  get size(): number {
    return this.links.size;
  }

  get ready(): boolean {
    return this.loaded;
  }

  apply(event: LinkEvent): void {
    const current = this.links.get(event.slug);
    // Ignore a stale event replayed after a newer one.
    if (current && current.updated_at > event.updated_at) return;
    this.links.set(event.slug, event);
  }

  markLoaded(): void {
    this.loaded = true;
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
