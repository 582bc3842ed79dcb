import { bundledGeoipPaths } from '@linktrack/config';
import { ipPrefix } from '@linktrack/ip';
import { clickEvent, UA } from '@linktrack/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeCityRecord, openGeoLookup } from '../resources/geo.js';
import { createUserAgentParser } from '../resources/user-agent.js';
import { botEnrichment } from './bot.js';
import { createEnrichContext, type EnrichContext } from './context.js';
import { deviceEnrichment } from './device.js';
import { geoEnrichment } from './geo.js';
import { referrerDomain, referrerEnrichment } from './referrer.js';
import { utmEnrichment } from './utm.js';

const click = clickEvent;

let ctx: EnrichContext;
beforeAll(async () => {
  ctx = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
});

describe('geo', () => {
  it('finds country, region and city for IPv4 and IPv6 in the bundled DB-IP files', () => {
    expect(geoEnrichment.run(click({ ip: '81.2.69.160' }), ctx)).toEqual({
      country: 'GB',
      region: 'England',
      city: 'London',
    });
    expect(geoEnrichment.run(click({ ip: '133.242.0.1' }), ctx).country).toBe('JP');
    expect(geoEnrichment.run(click({ ip: '2a00:1450:4001::1' }), ctx).country).toBe('DE');
    expect(geoEnrichment.run(click({ ip: '::ffff:8.8.8.8' }), ctx).country).toBe('US');
  });

  it('gives empty strings for private and unparsable addresses', () => {
    expect(geoEnrichment.run(click({ ip: '10.1.2.3' }), ctx)).toEqual({ country: '', region: '', city: '' });
    expect(geoEnrichment.run(click({ ip: 'garbage' }), ctx)).toEqual({ country: '', region: '', city: '' });
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
    expect(deviceEnrichment.run(click({ user_agent: UA.chromeDesktop }), ctx)).toEqual({
      device_type: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
    });
    expect(deviceEnrichment.run(click({ user_agent: UA.iphone }), ctx)).toMatchObject({
      device_type: 'mobile',
      os: 'iOS',
    });
    expect(deviceEnrichment.run(click({ user_agent: UA.ipad }), ctx)).toMatchObject({
      device_type: 'tablet',
    });
    expect(deviceEnrichment.run(click({ user_agent: '' }), ctx)).toMatchObject({ device_type: 'other' });
  });
});

describe('bot', () => {
  it('flags crawler user agents, HEAD checks, prefetches and empty user agents, each with its reason', () => {
    expect(botEnrichment.run(click({ user_agent: UA.googlebot }), ctx)).toEqual({
      is_bot: true,
      bot_reason: 'user_agent',
      device_type: 'bot',
    });
    expect(botEnrichment.run(click({ method: 'HEAD' }), ctx)).toMatchObject({
      is_bot: true,
      bot_reason: 'head_request',
    });
    expect(botEnrichment.run(click({ headers: { 'sec-purpose': 'prefetch;prerender' } }), ctx)).toMatchObject(
      {
        bot_reason: 'prefetch',
      },
    );
    expect(botEnrichment.run(click({ headers: { purpose: 'prefetch' } }), ctx)).toMatchObject({
      bot_reason: 'prefetch',
    });
    expect(botEnrichment.run(click({ user_agent: ' ' }), ctx)).toMatchObject({
      bot_reason: 'empty_user_agent',
    });
  });

  it('leaves a person with a browser alone', () => {
    expect(botEnrichment.run(click({ user_agent: UA.iphone }), ctx)).toEqual({
      is_bot: false,
      bot_reason: '',
    });
  });
});

describe('utm and referrer', () => {
  it('reads UTMs from the destination', () => {
    expect(utmEnrichment.run(click(), ctx)).toMatchObject({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
    });
    expect(utmEnrichment.run(click({ destination: '' }), ctx).utm_source).toBe('');
  });

  it('keeps the referrer and its host without www', () => {
    expect(referrerEnrichment.run(click({ referer: 'https://WWW.News.Example/a?b=1' }), ctx)).toEqual({
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
