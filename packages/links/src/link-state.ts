import type { LinkEvent } from '@linktrack/streams';

/** What a link does right now: redirect (active), or answer 410 and say why. */
export type LinkState = 'active' | 'disabled' | 'expired' | 'exhausted';

export function linkState(link: LinkEvent, now: number): LinkState {
  if (link.status !== 'active') return 'disabled';
  if (link.expires_at !== null && link.expires_at <= now) return 'expired';
  if (link.exhausted_at !== null) return 'exhausted';
  return 'active';
}
