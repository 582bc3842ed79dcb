import { describe, expect, it } from 'vitest';
import { applyUtm, type LocationRules, redirectLocation } from './location.js';

const FORWARD: LocationRules = { forwardQuery: true, strip: new Set(['lt_qr', 'lt_cid']), clickId: null };
const NO_FORWARD: LocationRules = { ...FORWARD, forwardQuery: false };
const CID: LocationRules = { ...FORWARD, clickId: { param: 'lt_cid', value: '0193-abc' } };
const CID_ONLY: LocationRules = { ...NO_FORWARD, clickId: { param: 'lt_cid', value: '0193-abc' } };

// [case, destination, incoming query, rules, expected Location]
const CASES: [string, string, string, LocationRules, string][] = [
  ['no query anywhere', 'https://a.example/p', '', FORWARD, 'https://a.example/p'],
  ['visitor params appended', 'https://a.example/p', 'gclid=abc', FORWARD, 'https://a.example/p?gclid=abc'],
  [
    'appended after the destination query',
    'https://a.example/p?x=1',
    'gclid=abc',
    FORWARD,
    'https://a.example/p?x=1&gclid=abc',
  ],
  [
    'destination order kept',
    'https://a.example/?z=1&a=2&m=3',
    'b=4',
    FORWARD,
    'https://a.example/?z=1&a=2&m=3&b=4',
  ],
  [
    'repeated destination keys kept',
    'https://a.example/?t=1&t=2',
    'u=3',
    FORWARD,
    'https://a.example/?t=1&t=2&u=3',
  ],
  ['repeated visitor keys kept', 'https://a.example/', 'v=1&v=2', FORWARD, 'https://a.example/?v=1&v=2'],
  [
    'bare destination key kept',
    'https://a.example/?flag&x=1',
    'y=2',
    FORWARD,
    'https://a.example/?flag&x=1&y=2',
  ],
  [
    'empty destination value kept',
    'https://a.example/?empty=&x=1',
    'y=2',
    FORWARD,
    'https://a.example/?empty=&x=1&y=2',
  ],
  ['bare visitor key kept', 'https://a.example/', 'debug', FORWARD, 'https://a.example/?debug'],
  ['empty visitor value kept', 'https://a.example/', 'ref=', FORWARD, 'https://a.example/?ref='],
  ['plus in destination kept', 'https://a.example/?q=a+b', 'r=1', FORWARD, 'https://a.example/?q=a+b&r=1'],
  ['%20 in destination kept', 'https://a.example/?q=a%20b', 'r=1', FORWARD, 'https://a.example/?q=a%20b&r=1'],
  ['plus from visitor kept', 'https://a.example/', 'q=a+b', FORWARD, 'https://a.example/?q=a+b'],
  ['%20 from visitor kept', 'https://a.example/', 'q=a%20b', FORWARD, 'https://a.example/?q=a%20b'],
  [
    'encoded reserved chars kept',
    'https://a.example/?next=%2Fcart%3Fid%3D1',
    '',
    FORWARD,
    'https://a.example/?next=%2Fcart%3Fid%3D1',
  ],
  [
    'lowercase escapes kept',
    'https://a.example/?e=%c3%a9',
    'f=%e2%82%ac',
    FORWARD,
    'https://a.example/?e=%c3%a9&f=%e2%82%ac',
  ],
  ['fragment stays last', 'https://a.example/p#top', 'gclid=1', FORWARD, 'https://a.example/p?gclid=1#top'],
  [
    'fragment after the query',
    'https://a.example/p?x=1#sec',
    'g=2',
    FORWARD,
    'https://a.example/p?x=1&g=2#sec',
  ],
  [
    'fragment holding ?',
    'https://a.example/app#/route?tab=2',
    'g=1',
    FORWARD,
    'https://a.example/app?g=1#/route?tab=2',
  ],
  [
    'fragment holding ? after a query',
    'https://a.example/?a=1#/r?b=2',
    'c=3',
    FORWARD,
    'https://a.example/?a=1&c=3#/r?b=2',
  ],
  ['empty fragment kept', 'https://a.example/p#', 'g=1', FORWARD, 'https://a.example/p?g=1#'],
  ['trailing ? kept when nothing is added', 'https://a.example/p?', '', FORWARD, 'https://a.example/p?'],
  ['trailing ? filled', 'https://a.example/p?', 'g=1', FORWARD, 'https://a.example/p?g=1'],
  ['trailing & filled', 'https://a.example/p?x=1&', 'g=1', FORWARD, 'https://a.example/p?x=1&g=1'],
  [
    'visitor cannot override a destination key',
    'https://a.example/?ref=newsletter',
    'ref=evil',
    FORWARD,
    'https://a.example/?ref=newsletter',
  ],
  [
    'visitor cannot override an encoded destination key',
    'https://a.example/?my%20key=1',
    'my+key=2&ok=3',
    FORWARD,
    'https://a.example/?my%20key=1&ok=3',
  ],
  [
    'visitor utm dropped when the link has UTMs',
    'https://a.example/?utm_source=nl',
    'utm_source=x&utm_term=y&g=1',
    FORWARD,
    'https://a.example/?utm_source=nl&g=1',
  ],
  [
    'visitor utm kept on a link without UTMs',
    'https://a.example/',
    'utm_source=partner',
    FORWARD,
    'https://a.example/?utm_source=partner',
  ],
  ['QR marker never forwarded', 'https://a.example/', 'lt_qr=1&g=2', FORWARD, 'https://a.example/?g=2'],
  ['forged click id never forwarded', 'https://a.example/', 'lt_cid=forged', FORWARD, 'https://a.example/'],
  ['forwarding off', 'https://a.example/?x=1', 'gclid=abc', NO_FORWARD, 'https://a.example/?x=1'],
  ['click id appended', 'https://a.example/p', '', CID, 'https://a.example/p?lt_cid=0193-abc'],
  [
    'click id after visitor params',
    'https://a.example/p?x=1',
    'g=2',
    CID,
    'https://a.example/p?x=1&g=2&lt_cid=0193-abc',
  ],
  ['click id before the fragment', 'https://a.example/p#f', '', CID, 'https://a.example/p?lt_cid=0193-abc#f'],
  [
    'click id replaces a stale one in the destination',
    'https://a.example/?lt_cid=old&x=1',
    '',
    CID,
    'https://a.example/?x=1&lt_cid=0193-abc',
  ],
  [
    'click id without forwarding',
    'https://a.example/?x=1',
    'g=2',
    CID_ONLY,
    'https://a.example/?x=1&lt_cid=0193-abc',
  ],
  [
    'empty visitor segments dropped',
    'https://a.example/',
    'a=1&&b=2&',
    FORWARD,
    'https://a.example/?a=1&b=2',
  ],
  [
    'non-ASCII from visitor encoded',
    'https://a.example/',
    'q=café',
    FORWARD,
    'https://a.example/?q=caf%C3%A9',
  ],
  [
    'quotes and angle brackets from visitor encoded',
    'https://a.example/',
    'q="<x>"',
    FORWARD,
    'https://a.example/?q=%22%3Cx%3E%22',
  ],
  [
    'malformed escape from visitor kept as sent',
    'https://a.example/',
    'q=%zz',
    FORWARD,
    'https://a.example/?q=%zz',
  ],
  [
    'IDN host (punycode) untouched',
    'https://xn--mnchen-3ya.example/?a=1',
    'b=2',
    FORWARD,
    'https://xn--mnchen-3ya.example/?a=1&b=2',
  ],
  [
    'IPv6 host untouched',
    'http://[2001:db8::1]:8080/p?a=1',
    'b=2',
    FORWARD,
    'http://[2001:db8::1]:8080/p?a=1&b=2',
  ],
  ['port and path kept', 'https://a.example:8443/x/y/', 'b=2', FORWARD, 'https://a.example:8443/x/y/?b=2'],
  [
    'very long value kept whole',
    'https://a.example/',
    `t=${'v'.repeat(4_000)}`,
    FORWARD,
    `https://a.example/?t=${'v'.repeat(4_000)}`,
  ],
  [
    'keys compare decoded: %75tm_source is utm_source',
    'https://a.example/?utm_source=nl',
    '%75tm_source=x',
    FORWARD,
    'https://a.example/?utm_source=nl',
  ],
  [
    'gclid, fbclid, msclkid together',
    'https://a.example/?utm_medium=cpc',
    'gclid=G&fbclid=F&msclkid=M',
    FORWARD,
    'https://a.example/?utm_medium=cpc&gclid=G&fbclid=F&msclkid=M',
  ],
];

describe('redirectLocation', () => {
  it.each(CASES)('%s', (_name, destination, incoming, rules, expected) => {
    expect(redirectLocation(destination, incoming, rules)).toBe(expected);
  });

  it('has the promised number of cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
});

describe('applyUtm', () => {
  const UTM = { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring sale' };

  it.each([
    [
      'appends to a URL without a query',
      'https://a.example/p',
      'https://a.example/p?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale',
    ],
    [
      'keeps other parameters and their encoding',
      'https://a.example/?q=a+b&x=%2F',
      'https://a.example/?q=a+b&x=%2F&utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale',
    ],
    [
      'replaces an existing utm where it stands, once',
      'https://a.example/?utm_source=old&k=1&utm_source=older',
      'https://a.example/?utm_source=newsletter&k=1&utm_medium=email&utm_campaign=spring%20sale',
    ],
    [
      'keeps the fragment last',
      'https://a.example/p#/x?y=1',
      'https://a.example/p?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale#/x?y=1',
    ],
    [
      'keeps a bare key',
      'https://a.example/?flag',
      'https://a.example/?flag&utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale',
    ],
  ])('%s', (_name, url, expected) => {
    expect(applyUtm(url, UTM).url).toBe(expected);
  });

  it('reports what it overrode', () => {
    const { replaced } = applyUtm('https://a.example/?utm_source=Facebook&utm_medium=email', UTM);
    expect(replaced).toEqual([{ param: 'utm_source', from: 'Facebook', to: 'newsletter' }]);
  });

  it('leaves a URL byte for byte when there is nothing to set', () => {
    const url = 'https://a.example/?b=%20&a=+&&c#x?y';
    expect(applyUtm(url, {}).url).toBe(url);
  });
});
