import { bundledGeoipPaths } from '@linktrack/config';
import { ipPrefix } from '@linktrack/ip';
import type { ClickEvent } from '@linktrack/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeCityRecord, openGeoLookup } from '../resources/geo.js';
import { createUserAgentParser } from '../resources/user-agent.js';
import { enrichBot } from './bot.js';
import { createEnrichContext, type EnrichContext } from './context.js';
import { enrichDevice } from './device.js';
import { enrichGeo } from './geo.js';
import { enrichClick } from './index.js';
import { enrichReferrer, referrerDomain } from './referrer.js';
import { enrichUtm } from './utm.js';

export const UA = {
  chromeDesktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  curl: 'curl/8.5.0',
};

function click(over: Partial<ClickEvent> = {}): ClickEvent {
  return {
    click_id: '01936f6e-8c1a-7b2e-9f00-0123456789ab',
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
    ...over,
  };
}

let ctx: EnrichContext;
beforeAll(async () => {
  ctx = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
});

describe('geo', () => {
  it('finds country, region and city for IPv4 and IPv6 in the bundled DB-IP files', () => {
    expect(enrichGeo(click({ ip: '81.2.69.160' }), ctx)).toEqual({
      country: 'GB',
      region: 'England',
      city: 'London',
    });
    expect(enrichGeo(click({ ip: '133.242.0.1' }), ctx).country).toBe('JP');
    expect(enrichGeo(click({ ip: '2a00:1450:4001::1' }), ctx).country).toBe('DE');
    expect(enrichGeo(click({ ip: '::ffff:8.8.8.8' }), ctx).country).toBe('US');
  });

  it('gives empty strings for private and unparsable addresses', () => {
    expect(enrichGeo(click({ ip: '10.1.2.3' }), ctx)).toEqual({ country: '', region: '', city: '' });
    expect(enrichGeo(click({ ip: 'garbage' }), ctx)).toEqual({ country: '', region: '', city: '' });
  });

  it('reads MaxMind GeoLite2/GeoIP2-City records as well as DB-IP ones', () => {
    const geolite = {
      city: { geoname_id: 2643743, names: { en: 'London', de: 'London' } },
      country: { geoname_id: 2635167, iso_code: 'GB', names: { en: 'United Kingdom' } },
      subdivisions: [{ geoname_id: 6269131, iso_code: 'ENG', names: { en: 'England' } }],
      location: { latitude: 51.5, longitude: -0.09, accuracy_radius: 10 },
    };
    expect(normalizeCityRecord(geolite)).toEqual({ country: 'GB', region: 'England', city: 'London' });
    expect(normalizeCityRecord({ registered_country: { iso_code: 'fr' } })).toEqual({
      country: 'FR',
      region: '',
      city: '',
    });
    expect(normalizeCityRecord({ country_code: 'br', state1: 'Sao Paulo', city: 'Pinheiros' })).toEqual({
      country: 'BR',
      region: 'Sao Paulo',
      city: 'Pinheiros',
    });
  });
});

describe('device', () => {
  it('classifies desktop, mobile and tablet browsers', () => {
    expect(enrichDevice(click({ user_agent: UA.chromeDesktop }), ctx)).toEqual({
      device_type: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
    });
    expect(enrichDevice(click({ user_agent: UA.iphone }), ctx)).toMatchObject({
      device_type: 'mobile',
      os: 'iOS',
    });
    expect(enrichDevice(click({ user_agent: UA.ipad }), ctx)).toMatchObject({ device_type: 'tablet' });
    expect(enrichDevice(click({ user_agent: '' }), ctx)).toMatchObject({ device_type: 'other' });
  });
});

describe('bot', () => {
  it('flags crawler user agents, HEAD checks, prefetches and empty user agents, each with its reason', () => {
    expect(enrichBot(click({ user_agent: UA.googlebot }), ctx)).toEqual({
      is_bot: true,
      bot_reason: 'user_agent',
      device_type: 'bot',
    });
    expect(enrichBot(click({ method: 'HEAD' }), ctx)).toMatchObject({
      is_bot: true,
      bot_reason: 'head_request',
    });
    expect(enrichBot(click({ headers: { 'sec-purpose': 'prefetch;prerender' } }), ctx)).toMatchObject({
      bot_reason: 'prefetch',
    });
    expect(enrichBot(click({ headers: { purpose: 'prefetch' } }), ctx)).toMatchObject({
      bot_reason: 'prefetch',
    });
    expect(enrichBot(click({ user_agent: ' ' }), ctx)).toMatchObject({ bot_reason: 'empty_user_agent' });
  });

  it('leaves a person with a browser alone', () => {
    expect(enrichBot(click({ user_agent: UA.iphone }), ctx)).toEqual({ is_bot: false, bot_reason: '' });
  });
});

describe('utm and referrer', () => {
  it('reads UTMs from the destination', () => {
    expect(enrichUtm(click(), ctx)).toMatchObject({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
    });
    expect(enrichUtm(click({ destination: '' }), ctx).utm_source).toBe('');
  });

  it('keeps the referrer and its host without www', () => {
    expect(enrichReferrer(click({ referer: 'https://WWW.News.Example/a?b=1' }), ctx)).toEqual({
      referrer: 'https://WWW.News.Example/a?b=1',
      referrer_domain: 'news.example',
    });
    expect(referrerDomain('android-app://com.slack')).toBe('');
    expect(referrerDomain('not a url')).toBe('');
  });
});

describe('ipPrefix', () => {
  it('keeps the /24 of IPv4 and the /48 of IPv6, never the full address', () => {
    expect(ipPrefix('203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(ipPrefix('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(ipPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipPrefix('nonsense')).toBe('');
  });
});

describe('enrichClick', () => {
  it('combines every enrichment, and a bot never counts as a device', () => {
    const out = enrichClick(
      click({ user_agent: UA.googlebot, ip: '8.8.8.8', referer: 'https://t.co/x' }),
      ctx,
    );
    expect(out).toMatchObject({
      country: 'US',
      device_type: 'bot',
      is_bot: true,
      utm_campaign: 'spring',
      referrer_domain: 't.co',
      ip_prefix: '8.8.8.0/24',
      link_found: true,
    });
  });
});
