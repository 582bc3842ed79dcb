import { type Bus, TOPICS } from '@linktrack/bus';
import { buildDestination, generateSlug, type LinkIndex, type Utm, validateSlug } from '@linktrack/links';
import type { Codec, LinkEvent } from '@linktrack/schema';
import { ApiError } from './errors.js';

export interface CreateLinkInput {
  url: string;
  slug?: string;
  utm?: Utm;
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

  function freeSlug(): string {
    for (let attempt = 0; attempt < 10; attempt++) {
      const slug = generateSlug(attempt < 5 ? 7 : 9);
      if (!deps.index.get(slug)) return slug;
    }
    throw new ApiError('LT_API_INTERNAL', 'could not find a free slug');
  }

  return { create };
}
