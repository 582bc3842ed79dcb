import { linkState, type UtmProblem } from '@linktrack/links';
import type { LinkEvent } from '@linktrack/streams';
import type { LinkResult, LinkView } from '../schemas/links.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A link as the api shows it: its state right now, times as ISO-8601. */
export function linkView(link: LinkEvent, baseUrl: string, now = Date.now()): LinkView {
  return {
    slug: link.slug,
    short_url: `${baseUrl}/${link.slug}`,
    url: link.url,
    destination: link.destination,
    utm: {
      source: link.utm_source,
      medium: link.utm_medium,
      campaign: link.utm_campaign,
      term: link.utm_term,
      content: link.utm_content,
    },
    status: linkState(link, now),
    redirect_status: link.redirect_status,
    forward_query: link.forward_query,
    track_conversions: link.track_conversions,
    tags: link.tags,
    expires_at: iso(link.expires_at),
    max_human_clicks: link.max_human_clicks === 0 ? null : link.max_human_clicks,
    exhausted_at: iso(link.exhausted_at),
    honeypot: link.honeypot,
    created_at: iso(link.created_at) as string,
    updated_at: iso(link.updated_at) as string,
  };
}

export function linkResult(link: LinkEvent, baseUrl: string, warnings: readonly UtmProblem[]): LinkResult {
  return { ...linkView(link, baseUrl), warnings: [...warnings] };
}
