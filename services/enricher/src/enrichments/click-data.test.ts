import { bundledAsnPaths, bundledGeoipPaths } from '@linktrack/config';
import type { ClickEvent } from '@linktrack/streams';
import { clickEvent, UA } from '@linktrack/test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { openAsnLookup } from '../resources/asn.js';
import { openGeoLookup } from '../resources/geo.js';
import { createUserAgentParser } from '../resources/user-agent.js';
import { createVisitorHasher } from '../resources/visitor-hash.js';
import { createEnrichStep } from '../steps/enrich-step.js';
import { asnEnrichment } from './asn.js';
import { createEnrichContext, type EnrichContext } from './context.js';
import { deviceEnrichment, deviceFromHints } from './device.js';
import type { Enrichment } from './enrichment.js';
import { baseOf } from './index.js';
import { paidClickIdType } from './paid-click-id.js';
import { referrerEnrichment } from './referrer.js';

let ctx: EnrichContext;
beforeAll(async () => {
  ctx = createEnrichContext(await openGeoLookup(bundledGeoipPaths()), createUserAgentParser(), {
    asn: openAsnLookup(bundledAsnPaths()),
    visitorSecret: 'test-secret',
    ownHosts: ['sho.rt'],
  });
});
const enrich = (e: Enrichment, over: Partial<ClickEvent>) => {
  const c = clickEvent(over);
  return e.run(c, ctx, baseOf(c));
};

describe('device', () => {
  it('names in-app browsers after their app, as people on phones', () => {
    const instagram =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 337.0.3.23.54 (iPhone14,5; iOS 17_5; en_US; en; scale=3.00; 1170x2532; 616407542)';
    const tiktok =
      'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.179 Mobile Safari/537.36 trill_350103 JsSdk/1.0 NetType/WIFI BytedanceWebview/d8a21c6';
    const linkedin =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.9076';
    const facebook =
      'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/468.1.0.56.78;]';
    const gmail =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36 Gmail';
    expect(enrich(deviceEnrichment, { user_agent: instagram })).toEqual({
      device_type: 'mobile',
      os: 'iOS',
      browser: 'Instagram',
    });
    expect(enrich(deviceEnrichment, { user_agent: tiktok })).toMatchObject({
      device_type: 'mobile',
      browser: 'TikTok',
    });
    expect(enrich(deviceEnrichment, { user_agent: linkedin })).toMatchObject({ browser: 'LinkedIn' });
    expect(enrich(deviceEnrichment, { user_agent: facebook })).toMatchObject({ browser: 'Facebook' });
    expect(enrich(deviceEnrichment, { user_agent: gmail })).toMatchObject({
      device_type: 'mobile',
      browser: 'Gmail',
    });
  });

  it('refines the device with Client Hints when they are present', () => {
    const reduced =
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(enrich(deviceEnrichment, { user_agent: reduced }).device_type).toBe('tablet');
    expect(
      enrich(deviceEnrichment, {
        user_agent: reduced,
        headers: { 'sec-ch-ua-mobile': '?1', 'sec-ch-ua-platform': '"Android"' },
      }).device_type,
    ).toBe('mobile');
    expect(deviceFromHints('desktop', { 'sec-ch-ua-mobile': '?1' })).toBe('mobile');
    expect(deviceFromHints('mobile', { 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"Android"' })).toBe(
      'tablet',
    );
    expect(deviceFromHints('other', { 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"Windows"' })).toBe(
      'desktop',
    );
    expect(deviceFromHints('desktop', {})).toBe('desktop');
  });
});

describe('referrer medium', () => {
  const medium = (referer: string, destination?: string) =>
    enrich(referrerEnrichment, { referer, ...(destination ? { destination } : {}) }).referrer_medium;
  it('tells search, social, email, internal, unknown and direct apart', () => {
    expect(medium('')).toBe('direct');
    expect(medium('https://www.google.com/')).toBe('search');
    expect(medium('https://www.google.co.uk/')).toBe('search');
    expect(medium('https://duckduckgo.com/')).toBe('search');
    expect(medium('https://t.co/abc')).toBe('social');
    expect(medium('https://l.facebook.com/l.php?u=x')).toBe('social');
    expect(medium('https://www.linkedin.com/feed/')).toBe('social');
    expect(medium('https://mail.google.com/mail/u/0/')).toBe('email');
    expect(medium('https://outlook.live.com/mail/0/')).toBe('email');
    expect(medium('android-app://com.google.android.gm/')).toBe('email');
    expect(medium('https://shop.example/cart', 'https://shop.example/spring')).toBe('internal');
    expect(medium('https://sho.rt/other')).toBe('internal');
    expect(medium('https://blog.example/post')).toBe('unknown');
  });
});

describe('paid click id', () => {
  it('finds gclid, fbclid, msclkid, ttclid and li_fat_id in the short link request', () => {
    expect(paidClickIdType('gclid=abc')).toBe('gclid');
    expect(paidClickIdType('utm_source=x&fbclid=IwAR0')).toBe('fbclid');
    expect(paidClickIdType('msclkid=1')).toBe('msclkid');
    expect(paidClickIdType('a=1&ttclid=E.C.P')).toBe('ttclid');
    expect(paidClickIdType('li_fat_id=9f8')).toBe('li_fat_id');
    expect(paidClickIdType('')).toBe('');
    expect(paidClickIdType('xgclid=abc&gclid=')).toBe('');
  });
});

describe('asn', () => {
  it('finds the network of IPv4 and IPv6 clients in the bundled database', () => {
    expect(enrich(asnEnrichment, { ip: '81.2.69.160' })).toEqual({
      asn: 20712,
      asn_org: 'Andrews & Arnold Ltd',
    });
    expect(enrich(asnEnrichment, { ip: '2a00:1450:4001::1' }).asn).toBe(15169);
    expect(enrich(asnEnrichment, { ip: '10.0.0.1' })).toEqual({ asn: 0, asn_org: '' });
  });
});

describe('visitor hash', () => {
  it('is one value per address, user agent and UTC day, and changes with each', () => {
    const h = createVisitorHasher('secret');
    const day = Date.UTC(2026, 10, 24, 10);
    const a = h.hash(day, '81.2.69.160', UA.iphone);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(h.hash(day + 3_600_000, '81.2.69.160', UA.iphone)).toBe(a);
    expect(h.hash(day, '81.2.69.161', UA.iphone)).not.toBe(a);
    expect(h.hash(day, '81.2.69.160', UA.chromeDesktop)).not.toBe(a);
    expect(h.hash(day + 86_400_000, '81.2.69.160', UA.iphone)).not.toBe(a);
    // Another enricher instance with the same secret agrees; another secret does not.
    expect(createVisitorHasher('secret').hash(day, '81.2.69.160', UA.iphone)).toBe(a);
    expect(createVisitorHasher('other').hash(day, '81.2.69.160', UA.iphone)).not.toBe(a);
    expect(h.hash(day, '', UA.iphone)).toBe('');
  });
});

describe('bot enrichment', () => {
  it('records every signal with the strongest as reason, the classifier version, and the raw signals', () => {
    const step = createEnrichStep({ context: ctx });
    const out = step.run(
      clickEvent({ method: 'HEAD', user_agent: UA.curl, headers: { 'x-moz': 'prefetch' } }),
    );
    expect(out).toMatchObject({
      kind: 'ok',
      value: {
        is_bot: true,
        bot_reason: 'head_request',
        bot_signals: ['head_request', 'prefetch', 'ua_bot'],
        classifier_version: ctx.classifier.version,
        device_type: 'bot',
        request_headers: { 'x-moz': 'prefetch' },
        asn: 20712,
      },
    });
    const person = step.run(clickEvent({ headers: { 'sec-fetch-mode': 'navigate' } }));
    expect(person).toMatchObject({
      value: { is_bot: false, bot_reason: '', bot_signals: [], device_type: 'desktop' },
    });
  });

  it('flags Office clients fetching a link as previews', () => {
    const out = createEnrichStep({ context: ctx }).run(
      clickEvent({ user_agent: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)' }),
    );
    expect(out).toMatchObject({ value: { is_bot: true, bot_reason: 'preview' } });
  });
});
