import type { Bus } from '@linktrack/bus';
import { buildDestination, generateSlug, type LinkIndex, type Utm, validateSlug } from '@linktrack/links';
import { type Codec, type LinkEvent, TOPICS } from '@linktrack/streams';
import { ApiError } from './errors.js';

export interface CreateLinkInput {
  url: string;
  slug?: string;
  utm?: Utm;
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

/**
 * Creating a link publishes its state to the links topic; redirects learn of
 * it from there. The local index is updated at once so that the next create
 * sees the slug as taken without waiting for the bus.
 */
export function createLinkService(deps: LinkServiceDeps) {
  async function create(input: CreateLinkInput): Promise<CreatedLink> {
    const { destination, utm, warnings } = buildDestination(input.url, input.utm);
    const slug = input.slug ?? freeSlug();
    validateSlug(slug);
    if (deps.index.get(slug))
      throw new ApiError('LT_API_SLUG_TAKEN', `slug: "${slug}" is taken`, { field: 'slug' });
    const now = Date.now();
    const event: LinkEvent = {
      slug,
      url: input.url,
      destination,
      status: 'active',
      ...utm,
      created_at: now,
      updated_at: now,
    };
    await deps.bus.publish(TOPICS.links, [{ key: Buffer.from(slug), value: deps.codec.encode(event) }]);
    deps.index.apply(event);
    return { slug, short_url: `${deps.baseUrl}/${slug}`, destination, warnings };
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
    await deps.bus.publish(TOPICS.links, [{ key: Buffer.from(slug), value: deps.codec.encode(event) }]);
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
