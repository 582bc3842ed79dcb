import type { ClickEvent, EnrichedClick } from '@linktrack/streams';
import { UA } from './user-agents.js';

/** The i-th of a run of click ids: distinct, deterministic, valid UUIDv7 text. */
export function clickId(i: number): string {
  return `01936f6e-8c1a-7b2e-9f00-${String(i).padStart(12, '0')}`;
}

/** A raw click that redirected, from a desktop browser in London; override what the test is about. */
export function clickEvent(over: Partial<ClickEvent> = {}): ClickEvent {
  return {
    click_id: clickId(0),
    ts: Date.UTC(2026, 10, 24),
    slug: 'spring',
    method: 'GET',
    ip: '81.2.69.160',
    user_agent: UA.chromeDesktop,
    referer: '',
    accept_language: 'en-GB',
    query: '',
    headers: {},
    link_found: true,
    destination: 'https://shop.example/?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
    visit_type: 'redirect',
    trigger: 'link',
    honeypot: false,
    ...over,
  };
}

/** The i-th of a run of enriched clicks on one slug, as the sink receives them. */
export function enrichedClick(
  i: number,
  slug: string,
  ts = Date.UTC(2026, 10, 24, 12, 0, 0, i),
): EnrichedClick {
  return {
    click_id: clickId(i),
    ts,
    slug,
    destination: 'https://a.example/',
    method: 'GET',
    link_found: true,
    utm_source: 's',
    utm_medium: 'm',
    utm_campaign: 'c',
    utm_term: '',
    utm_content: '',
    referrer: '',
    referrer_domain: '',
    country: 'GB',
    region: '',
    city: '',
    device_type: 'desktop',
    os: 'Windows',
    browser: 'Chrome',
    is_bot: false,
    bot_reason: '',
    ip_prefix: `81.2.${i % 250}.0/24`,
    user_agent: 'UA',
    accept_language: '',
    query: '',
    visit_type: 'redirect',
    trigger: 'link',
    referrer_medium: 'direct',
    paid_click_id_type: '',
    bot_signals: [],
    classifier_version: 0,
    visitor_hash: '',
    asn: 0,
    asn_org: '',
    request_headers: {},
  };
}
