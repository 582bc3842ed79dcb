import { bundledGeoipPaths } from '@linktrack/config';
import { ipPrefix } from '@linktrack/ip';
import type { ClickEvent } from '@linktrack/streams';
import { clickEvent, UA } from '@linktrack/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeCityRecord, openGeoLookup } from '../resources/geo.js';
import { createUserAgentParser } from '../resources/user-agent.js';
import { createEnrichContext, type EnrichContext } from './context.js';
import { deviceEnrichment } from './device.js';
import type { Enrichment } from './enrichment.js';
import { geoEnrichment } from './geo.js';
import { baseOf } from './index.js';
import { referrerDomain, referrerEnrichment } from './referrer.js';
import { utmEnrichment } from './utm.js';

const click = clickEvent;
const enrich = (e: Enrichment, c: ClickEvent) => e.run(c, ctx, baseOf(c));

let ctx: EnrichContext;
beforeAll(async () => {
  ctx = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser());
});

describe('geo', () => {
  it('finds country, region and city for IPv4 and IPv6 in the bundled DB-IP files', () => {
    expect(enrich(geoEnrichment, click({ ip: '81.2.69.160' }))).toEqual({
      country: 'GB',
      region: 'England',
      city: 'London',
    });
    expect(enrich(geoEnrichment, click({ ip: '133.242.0.1' })).country).toBe('JP');
    expect(enrich(geoEnrichment, click({ ip: '2a00:1450:4001::1' })).country).toBe('DE');
    expect(enrich(geoEnrichment, click({ ip: '::ffff:8.8.8.8' })).country).toBe('US');
  });

  it('gives empty strings for private and unparsable addresses', () => {
    expect(enrich(geoEnrichment, click({ ip: '10.1.2.3' }))).toEqual({ country: '', region: '', city: '' });
    expect(enrich(geoEnrichment, click({ ip: 'garbage' }))).toEqual({ country: '', region: '', city: '' });
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
    expect(enrich(deviceEnrichment, click({ user_agent: UA.chromeDesktop }))).toEqual({
      device_type: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
    });
    expect(enrich(deviceEnrichment, click({ user_agent: UA.iphone }))).toMatchObject({
      device_type: 'mobile',
      os: 'iOS',
    });
    expect(enrich(deviceEnrichment, click({ user_agent: UA.ipad }))).toMatchObject({
      device_type: 'tablet',
    });
    expect(enrich(deviceEnrichment, click({ user_agent: '' }))).toMatchObject({ device_type: 'other' });
  });
});

describe('utm and referrer', () => {
  it('reads UTMs from the destination', () => {
    expect(enrich(utmEnrichment, click())).toMatchObject({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'spring',
    });
    expect(enrich(utmEnrichment, click({ destination: '' })).utm_source).toBe('');
  });

  it('keeps the referrer and its host without www', () => {
    expect(enrich(referrerEnrichment, click({ referer: 'https://WWW.News.Example/a?b=1' }))).toEqual({
      referrer: 'https://WWW.News.Example/a?b=1',
      referrer_domain: 'news.example',
      referrer_medium: 'unknown',
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
