import { type ClickEvent, type EnrichedClick, legacyVisitType } from '@linktrack/streams';
import { asnEnrichment } from './asn.js';
import { botEnrichment } from './bot.js';
import { deviceEnrichment } from './device.js';
import type { Enrichment } from './enrichment.js';
import { geoEnrichment } from './geo.js';
import { ipPrefixEnrichment } from './ip-prefix.js';
import { paidClickIdEnrichment } from './paid-click-id.js';
import { referrerEnrichment } from './referrer.js';
import { utmEnrichment } from './utm.js';
import { visitorHashEnrichment } from './visitor-hash.js';

/**
 * Applied in this order; each sees what the ones before it found. The bot
 * enrichment comes last: it reads the ASN and the referrer's domain, and
 * overrides device_type for a bot.
 */
export const ENRICHMENTS: readonly Enrichment[] = [
  ipPrefixEnrichment,
  geoEnrichment,
  asnEnrichment,
  deviceEnrichment,
  utmEnrichment,
  referrerEnrichment,
  paidClickIdEnrichment,
  visitorHashEnrichment,
  botEnrichment,
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
    // The signal headers the redirect kept; the full address is not among them.
    request_headers: click.headers,
  };
}

export { createEnrichContext, type EnrichContext, type EnrichOptions } from './context.js';
export type { Enrichment } from './enrichment.js';
