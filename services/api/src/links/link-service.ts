import { randomUUID } from 'node:crypto';
import type { Bus } from '@linktrack/bus';
import {
  type DestinationPolicy,
  generateSlug,
  LinkError,
  type LinkIndex,
  linkState,
  prepareDestination,
  type Utm,
  type UtmProblem,
  validateSlug,
} from '@linktrack/links';
import { type Codec, type LinkEvent, TOPICS } from '@linktrack/streams';
import { Compile } from 'typebox/compile';
import { ApiError } from '../errors.js';
import { fieldOf } from '../field-of.js';
import {
  type BulkResult,
  CreateLinkBody,
  type LinkResult,
  type LinkView,
  type ListQuery,
  type UpdateLinkBody,
} from '../schemas/links.js';
import { linkResult, linkView } from './link-view.js';

export interface LinkServiceDeps {
  bus: Bus;
  codec: Codec<LinkEvent>;
  index: LinkIndex;
  baseUrl: string;
  policy: DestinationPolicy;
  now?: () => number;
}

export type LinkService = ReturnType<typeof createLinkService>;

/** How long a create waits to see its claim come back on the links topic. */
const CLAIM_TIMEOUT_MS = 10_000;

const checkCreate = Compile(CreateLinkBody);

/**
 * Links are states on the links topic; redirects and every api instance learn
 * of them from there. A create is a claim on the slug: it answers only once
 * this api's index has read the claim back and found it first, so two api
 * instances creating one slug at once get one 201 and one 409.
 */
export function createLinkService(deps: LinkServiceDeps) {
  const now = deps.now ?? Date.now;

  /** The state a create would publish, and its warnings; throws for bad input. */
  function build(
    input: CreateLinkBody,
    taken: ReadonlySet<string>,
  ): { event: LinkEvent; warnings: UtmProblem[] } {
    const prepared = prepareDestination(input.url, input.utm as Utm | undefined, deps.policy);
    const slug = input.slug ?? freeSlug(taken);
    validateSlug(slug);
    if (deps.index.get(slug) || taken.has(slug)) throw slugTaken(slug);
    const at = now();
    const expiresAt = input.expires_at === undefined ? null : parseTime(input.expires_at, 'expires_at');
    if (expiresAt !== null && expiresAt <= at) {
      throw new ApiError('LT_API_VALIDATION', 'expires_at: must be in the future', { field: 'expires_at' });
    }
    const event: LinkEvent = {
      slug,
      url: prepared.url,
      destination: prepared.destination,
      status: 'active',
      ...prepared.utm,
      created_at: at,
      updated_at: at,
      claim_id: randomUUID(),
      redirect_status: input.redirect_status ?? 0,
      forward_query: input.forward_query ?? true,
      track_conversions: input.track_conversions ?? true,
      tags: input.tags ?? [],
      expires_at: expiresAt,
      max_human_clicks: input.max_human_clicks ?? 0,
      exhausted_at: null,
      honeypot: input.honeypot ?? false,
    };
    return { event, warnings: prepared.problems };
  }

  async function create(input: CreateLinkBody): Promise<LinkResult> {
    const { event, warnings } = build(input, new Set());
    const [outcome] = await claim([event]);
    if (outcome === 'timeout') throw claimTimeout(event.slug);
    if (outcome === 'lost') throw slugTaken(event.slug);
    return linkResult(event, deps.baseUrl, warnings);
  }

  /**
   * Up to 1,000 links; each one is created or refused on its own, with its
   * own result. A link is one record, so none is ever half-created.
   */
  async function createMany(items: readonly unknown[]): Promise<BulkResult> {
    const results: BulkResult['results'] = [];
    const built: { index: number; event: LinkEvent; warnings: UtmProblem[] }[] = [];
    const taken = new Set<string>();
    items.forEach((item, index) => {
      if (!checkCreate.Check(item)) {
        const first = [...checkCreate.Errors(item)][0];
        const field = fieldOf(first?.instancePath ?? '', first?.params as Record<string, unknown>);
        results.push({
          index,
          ok: false,
          error: {
            code: 'LT_API_VALIDATION',
            message: `${field || 'link'}: ${first?.message ?? 'is invalid'}`,
            field,
          },
        });
        return;
      }
      try {
        const b = build(item as CreateLinkBody, taken);
        taken.add(b.event.slug);
        built.push({ index, ...b });
      } catch (err) {
        results.push({ index, ok: false, error: itemError(err) });
      }
    });
    const outcomes = await claim(built.map((b) => b.event));
    built.forEach((b, i) => {
      const outcome = outcomes[i];
      if (outcome === 'won')
        results.push({ index: b.index, ok: true, link: linkResult(b.event, deps.baseUrl, b.warnings) });
      else
        results.push({
          index: b.index,
          ok: false,
          error: itemError(outcome === 'lost' ? slugTaken(b.event.slug) : claimTimeout(b.event.slug)),
        });
    });
    results.sort((a, b) => a.index - b.index);
    const created = results.filter((r) => r.ok).length;
    return { created, failed: results.length - created, results };
  }

  /** Publishes creates in one batch and waits for each claim's verdict. */
  async function claim(events: LinkEvent[]): Promise<('won' | 'lost' | 'timeout')[]> {
    if (events.length === 0) return [];
    const verdicts = events.map((e) =>
      deps.index.awaitClaim(e.claim_id, CLAIM_TIMEOUT_MS).then(
        (won) => (won ? 'won' : 'lost') as 'won' | 'lost',
        () => 'timeout' as const,
      ),
    );
    await publish(events);
    const outcomes = await Promise.all(verdicts);
    const lost = events.filter((_, i) => outcomes[i] === 'lost');
    if (lost.length > 0) await restoreWinners(lost);
    return outcomes;
  }

  /**
   * The topic is compacted by slug, and the links table keeps the newest
   * state: a losing create must not be the newest record of its slug. The
   * loser publishes the winner's state again, just newer than its own.
   */
  async function restoreWinners(lost: LinkEvent[]): Promise<void> {
    const again: LinkEvent[] = [];
    for (const l of lost) {
      const winner = deps.index.get(l.slug);
      if (winner)
        again.push({ ...winner, updated_at: Math.max(now(), winner.updated_at + 1, l.updated_at + 1) });
    }
    if (again.length > 0) await publish(again);
  }

  /** Changes a link; the whole new state is published under its slug. */
  async function update(slug: string, input: UpdateLinkBody): Promise<LinkResult> {
    const current = deps.index.get(slug);
    if (!current) throw new ApiError('LT_API_LINK_NOT_FOUND', `slug: no link "${slug}"`, { field: 'slug' });
    let destination = {
      url: current.url,
      destination: current.destination,
      utm: utmColumns(current),
      problems: [] as UtmProblem[],
    };
    if (input.url !== undefined || input.utm !== undefined) {
      // A new URL keeps the link's UTMs unless new ones are given.
      destination = prepareDestination(
        input.url ?? current.url,
        (input.utm as Utm | undefined) ?? utmOf(current),
        deps.policy,
      );
    }
    const capChanged =
      input.max_human_clicks !== undefined && (input.max_human_clicks ?? 0) !== current.max_human_clicks;
    const event: LinkEvent = {
      ...current,
      url: destination.url,
      destination: destination.destination,
      ...destination.utm,
      status: input.status ?? current.status,
      redirect_status: input.redirect_status ?? current.redirect_status,
      forward_query: input.forward_query ?? current.forward_query,
      track_conversions: input.track_conversions ?? current.track_conversions,
      tags: input.tags ?? current.tags,
      expires_at:
        input.expires_at === undefined
          ? current.expires_at
          : input.expires_at === null
            ? null
            : parseTime(input.expires_at, 'expires_at'),
      max_human_clicks:
        input.max_human_clicks === undefined ? current.max_human_clicks : (input.max_human_clicks ?? 0),
      // A new cap is judged afresh by the sink's watcher.
      exhausted_at: capChanged ? null : current.exhausted_at,
      // Strictly increasing, so that an index never takes an older state for a newer one.
      updated_at: Math.max(now(), current.updated_at + 1),
    };
    await publish([event]);
    deps.index.apply(event);
    return linkResult(event, deps.baseUrl, destination.problems);
  }

  function get(slug: string): LinkView {
    const link = deps.index.get(slug);
    if (!link) throw new ApiError('LT_API_LINK_NOT_FOUND', `slug: no link "${slug}"`, { field: 'slug' });
    return linkView(link, deps.baseUrl, now());
  }

  /** Newest first; the cursor is the position after the last link of a page. */
  function list(query: ListQuery): { links: LinkView[]; next_cursor: string | null } {
    const at = now();
    const q = query.q?.toLowerCase();
    const campaign = query.campaign?.toLowerCase();
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const matching = [...deps.index.all()]
      .filter((l) => (query.tag ? l.tags.includes(query.tag) : true))
      .filter((l) => (campaign ? l.utm_campaign.toLowerCase() === campaign : true))
      .filter((l) => (query.status ? linkState(l, at) === query.status : true))
      .filter((l) =>
        q ? [l.slug, l.url, l.destination, ...l.tags].some((text) => text.toLowerCase().includes(q)) : true,
      )
      .sort((a, b) => b.created_at - a.created_at || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .filter((l) =>
        after
          ? l.created_at < after.createdAt || (l.created_at === after.createdAt && l.slug > after.slug)
          : true,
      );
    const limit = query.limit ?? 50;
    const page = matching.slice(0, limit);
    const last = page.at(-1);
    return {
      links: page.map((l) => linkView(l, deps.baseUrl, at)),
      next_cursor: matching.length > limit && last ? encodeCursor(last) : null,
    };
  }

  function freeSlug(taken: ReadonlySet<string>): string {
    for (let attempt = 0; attempt < 10; attempt++) {
      const slug = generateSlug(attempt < 5 ? 7 : 9);
      if (!deps.index.get(slug) && !taken.has(slug)) return slug;
    }
    throw new ApiError('LT_API_INTERNAL', 'could not find a free slug');
  }

  function publish(events: LinkEvent[]): Promise<void> {
    return deps.bus.publish(
      TOPICS.links,
      events.map((e) => ({ key: Buffer.from(e.slug), value: deps.codec.encode(e) })),
    );
  }

  return { create, createMany, update, get, list };
}

function slugTaken(slug: string): ApiError {
  return new ApiError('LT_API_SLUG_TAKEN', `slug: "${slug}" is taken`, { field: 'slug' });
}

function claimTimeout(slug: string): ApiError {
  return new ApiError('LT_API_NOT_READY', `slug: the link registry did not confirm "${slug}" in time`, {
    field: 'slug',
  });
}

function itemError(err: unknown): { code: string; message: string; field?: string } {
  if (err instanceof ApiError)
    return { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) };
  if (err instanceof LinkError)
    return { code: err.code, message: `${err.field}: ${err.message}`, field: err.field };
  throw err;
}

function parseTime(text: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new ApiError('LT_API_VALIDATION', `${field}: is not an ISO-8601 time`, { field });
  return ms;
}

function utmColumns(l: LinkEvent) {
  return {
    utm_source: l.utm_source,
    utm_medium: l.utm_medium,
    utm_campaign: l.utm_campaign,
    utm_term: l.utm_term,
    utm_content: l.utm_content,
  };
}

function utmOf(link: LinkEvent): Utm | undefined {
  const utm: Utm = {};
  if (link.utm_source) utm.source = link.utm_source;
  if (link.utm_medium) utm.medium = link.utm_medium;
  if (link.utm_campaign) utm.campaign = link.utm_campaign;
  if (link.utm_term) utm.term = link.utm_term;
  if (link.utm_content) utm.content = link.utm_content;
  return Object.keys(utm).length > 0 ? utm : undefined;
}

function encodeCursor(l: LinkEvent): string {
  return Buffer.from(`${l.created_at}:${l.slug}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; slug: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const at = text.indexOf(':');
  const createdAt = Number(text.slice(0, at));
  if (at < 1 || !Number.isFinite(createdAt)) {
    throw new ApiError('LT_API_VALIDATION', 'cursor: is not a cursor this api gave out', { field: 'cursor' });
  }
  return { createdAt, slug: text.slice(at + 1) };
}
