import { type ClickEvent, type EnrichedClick, legacyVisitType } from '@linktrack/streams';
import { botEnrichment } from './bot.js';
import { deviceEnrichment } from './device.js';
import type { Enrichment } from './enrichment.js';
import { geoEnrichment } from './geo.js';
import { ipPrefixEnrichment } from './ip-prefix.js';
import { referrerEnrichment } from './referrer.js';
import { utmEnrichment } from './utm.js';

/** Applied in this order; later ones may override earlier fields (bot sets device_type). */
export const ENRICHMENTS: readonly Enrichment[] = [
  ipPrefixEnrichment,
  geoEnrichment,
  deviceEnrichment,
  botEnrichment,
  utmEnrichment,
  referrerEnrichment,
];

/** The ClickEvent fields that pass through unchanged, and empty values for the rest. */
export function baseOf(click: ClickEvent): EnrichedClick {
  // A redirect that predates visit_type only says whether the link was found.
  const visitType = click.visit_type ?? legacyVisitType(click.link_found);
  return {
    click_id: click.click_id,
    ts: click.ts,
    slug: click.slug,
    destination: click.destination,
    method: click.method,
    link_found: visitType === 'redirect',
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
    visit_type: visitType,
    trigger: click.trigger,
    referrer_medium: '',
    paid_click_id_type: '',
    bot_signals: [],
    classifier_version: 0,
    visitor_hash: '',
    asn: 0,
    asn_org: '',
    request_headers: click.headers,
  };
}

export { createEnrichContext, type EnrichContext } from './context.js';
export type { Enrichment } from './enrichment.js';
