import type { EnrichedClick } from '@linktrack/schema';

/** The i-th of a run of enriched clicks on one slug: distinct, deterministic ids. */
export function enrichedClick(
  i: number,
  slug: string,
  ts = Date.UTC(2026, 10, 24, 12, 0, 0, i),
): EnrichedClick {
  return {
    click_id: `01936f6e-8c1a-7b2e-9f00-${String(i).padStart(12, '0')}`,
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
  };
}
