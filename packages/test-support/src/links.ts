import type { LinkEvent } from '@linktrack/streams';

/** An active link without UTMs; override status or UTMs where the test needs them. */
export function linkEvent(slug: string, destination: string, over: Partial<LinkEvent> = {}): LinkEvent {
  return {
    slug,
    url: destination,
    destination,
    status: 'active',
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_term: '',
    utm_content: '',
    created_at: 1,
    updated_at: 1,
    claim_id: '',
    redirect_status: 0,
    forward_query: true,
    track_conversions: true,
    tags: [],
    expires_at: null,
    max_human_clicks: 0,
    exhausted_at: null,
    honeypot: false,
    ...over,
  };
}
