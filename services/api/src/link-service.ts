import { randomUUID } from 'node:crypto';
import type { Bus } from '@linktrack/bus';
import { buildDestination, generateSlug, type LinkIndex, type Utm, validateSlug } from '@linktrack/links';
import { type Codec, type LinkEvent, TOPICS } from '@linktrack/streams';
import { ApiError } from './errors.js';

export interface CreateLinkInput {
  url: string;
  slug?: string;
  utm?: Utm;
  /** Hidden in an email where no person can see it: whoever requests it is a scanner. */
  honeypot?: boolean;
}

export interface UpdateLinkInput {
  url?: string;
  utm?: Utm;
  status?: 'active' | 'disabled';
}

export interface LinkView {
  slug: string;
  short_url: string;
  url: string;
  destination: string;
  status: string;
  updated_at: number;
  warnings: string[];
}

export interface CreatedLink {
  slug: string;
  short_url: string;
  destination: string;
  warnings: string[];
}

export interface LinkServiceDeps {
  bus: Bus;
  codec: Codec<LinkEvent>;
  index: LinkIndex;
  baseUrl: string;
}

export type LinkService = ReturnType<typeof createLinkService>;

/** How long a create waits to see its claim come back on the links topic. */
const CLAIM_TIMEOUT_MS = 10_000;

/**
 * Creating a link publishes its state to the links topic; redirects learn of
 * it from there. A create is a claim on the slug: it answers 201 only once
 * this api's index has read the claim back from the topic and found it first.
 * Two api instances creating one slug at once thus get one 201 and one 409.
 */
export function createLinkService(deps: LinkServiceDeps) {
  async function create(input: CreateLinkInput): Promise<CreatedLink> {
    const { destination, utm, warnings } = buildDestination(input.url, input.utm);
    const slug = input.slug ?? freeSlug();
    validateSlug(slug);
    if (deps.index.get(slug)) throw slugTaken(slug);
    const now = Date.now();
    const event: LinkEvent = {
      slug,
      url: input.url,
      destination,
      status: 'active',
      ...utm,
      created_at: now,
      updated_at: now,
      claim_id: randomUUID(),
      honeypot: input.honeypot === true,
    };
    const decided = deps.index.awaitClaim(event.claim_id, CLAIM_TIMEOUT_MS);
    await publish(event);
    const won = await decided.catch((err) => {
      throw new ApiError(
        'LT_API_NOT_READY',
        `slug: the link registry did not confirm the create in time (${err.message})`,
        { field: 'slug' },
      );
    });
    if (!won) {
      await restoreWinner(event);
      throw slugTaken(slug);
    }
    return { slug, short_url: `${deps.baseUrl}/${slug}`, destination, warnings };
  }

  /**
   * The topic is compacted by slug, and the links table keeps the newest
   * state: a losing create must not be the newest record of its slug. The
   * loser publishes the winner's state again, just newer than its own.
   */
  async function restoreWinner(lost: LinkEvent): Promise<void> {
    const winner = deps.index.get(lost.slug);
    if (!winner) return;
    const updated_at = Math.max(Date.now(), winner.updated_at + 1, lost.updated_at + 1);
    await publish({ ...winner, updated_at });
  }

  function publish(event: LinkEvent): Promise<void> {
    return deps.bus.publish(TOPICS.links, [
      { key: Buffer.from(event.slug), value: deps.codec.encode(event) },
    ]);
  }

  /**
   * Changes a link's URL, UTMs or status. The whole new state is published
   * under the slug's key, so the compacted topic keeps only the latest.
   */
  async function update(slug: string, input: UpdateLinkInput): Promise<LinkView> {
    const current = deps.index.get(slug);
    if (!current) throw new ApiError('LT_API_LINK_NOT_FOUND', `slug: no link "${slug}"`, { field: 'slug' });
    const url = input.url ?? current.url;
    const utm = input.utm ?? utmOf(current);
    const built = input.url !== undefined || input.utm !== undefined ? buildDestination(url, utm) : null;
    const event: LinkEvent = {
      ...current,
      url,
      destination: built?.destination ?? current.destination,
      ...(built?.utm ?? {}),
      status: input.status ?? current.status,
      // Strictly increasing, so that an index never takes an older state for a newer one.
      updated_at: Math.max(Date.now(), current.updated_at + 1),
    };
    await publish(event);
    deps.index.apply(event);
    return {
      slug,
      short_url: `${deps.baseUrl}/${slug}`,
      url: event.url,
      destination: event.destination,
      status: event.status,
      updated_at: event.updated_at,
      warnings: built?.warnings ?? [],
    };
  }

  function freeSlug(): string {
    for (let attempt = 0; attempt < 10; attempt++) {
      const slug = generateSlug(attempt < 5 ? 7 : 9);
      if (!deps.index.get(slug)) return slug;
    }
    throw new ApiError('LT_API_INTERNAL', 'could not find a free slug');
  }

  return { create, update };
}

function slugTaken(slug: string): ApiError {
  return new ApiError('LT_API_SLUG_TAKEN', `slug: "${slug}" is taken`, { field: 'slug' });
}

function utmOf(link: LinkEvent): Utm | undefined {
  if (!link.utm_source && !link.utm_medium && !link.utm_campaign) return undefined;
  return {
    source: link.utm_source,
    medium: link.utm_medium,
    campaign: link.utm_campaign,
    ...(link.utm_term ? { term: link.utm_term } : {}),
    ...(link.utm_content ? { content: link.utm_content } : {}),
  };
}
