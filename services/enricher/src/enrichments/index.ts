import type { ClickEvent, EnrichedClick } from '@linktrack/schema';
import { enrichBot } from './bot.js';
import type { EnrichContext } from './context.js';
import { enrichDevice } from './device.js';
import { enrichGeo } from './geo.js';
import { enrichIpPrefix } from './ip-prefix.js';
import { enrichReferrer } from './referrer.js';
import { enrichUtm } from './utm.js';

export type Enrichment = (click: ClickEvent, ctx: EnrichContext) => Partial<EnrichedClick>;

/** Applied in this order; later ones may override earlier fields (bot sets device_type). */
export const ENRICHMENTS: readonly Enrichment[] = [
  enrichIpPrefix,
  enrichGeo,
  enrichDevice,
  enrichBot,
  enrichUtm,
  enrichReferrer,
];

/** The ClickEvent fields that pass through unchanged. */
export function baseOf(click: ClickEvent): EnrichedClick {
  return {
    click_id: click.click_id,
    ts: click.ts,
    slug: click.slug,
    destination: click.destination,
    method: click.method,
    link_found: click.link_found,
    utm_source: '',
    utm_medium: '',
    utm_campaign: '',
    utm_term: '',
    utm_content: '',
    referrer: '',
    referrer_domain: '',
    country: '',
    region: '',
    city: '',
    device_type: 'other',
    os: '',
    browser: '',
    is_bot: false,
    bot_reason: '',
    ip_prefix: '',
    user_agent: click.user_agent,
    accept_language: click.accept_language,
    query: click.query,
  };
}

export function enrichClick(click: ClickEvent, ctx: EnrichContext): EnrichedClick {
  const out = baseOf(click);
  for (const enrichment of ENRICHMENTS) Object.assign(out, enrichment(click, ctx));
  return out;
}

export { createEnrichContext, type EnrichContext } from './context.js';
