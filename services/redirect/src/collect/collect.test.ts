import { runInNewContext } from 'node:vm';
import { LinkIndex } from '@linktrack/links';
import type { ClickConfirmation, ClickEvent, ConversionEvent } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { buildRedirectApp } from '../app.js';
import { buildTrackerScript } from '../tracker/build-script.js';

const CLICK = '01936f6e-8c1a-7b2e-9f00-000000000007';
const SHOP = 'https://shop.example';

const KEY = 'pk_shop_0123456789abcdef';

function setup(
  allowedOrigins = [SHOP],
  rateLimit?: { burst: number; perSecond: number },
  publishableKey: string | null = KEY,
) {
  const links = new LinkIndex();
  links.markLoaded();
  const clicks: ClickEvent[] = [];
  const confirmed: ClickConfirmation[] = [];
  const converted: ConversionEvent[] = [];
  const metrics = createMetrics();
  const app = buildRedirectApp({
    status: 302,
    trustProxy: false,
    links,
    clicks: { push: (e) => void clicks.push(e) },
    logger: createLogger('silent'),
    metrics,
    readiness: () => ({ ready: true }),
    clickIdParam: 'lt_cid',
    qrParam: 'lt_qr',
    collect: {
      allowedOrigins,
      publishableKey,
      sinks: { confirm: (c) => void confirmed.push(c), convert: (c) => void converted.push(c) },
      ...(rateLimit ? { rateLimit } : {}),
    },
  });
  return { app, clicks, confirmed, converted, metrics };
}

const post = (app: ReturnType<typeof setup>['app'], body: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/v1/collect',
    headers: { origin: SHOP, 'content-type': 'text/plain;charset=UTF-8', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('GET /t.js', () => {
  it('serves the first-party script, about 1 KB, cacheable, and records no click', async () => {
    const { app, clicks } = setup();
    const res = await app.inject({ method: 'GET', url: '/t.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.body.length).toBeLessThan(2_560);
    expect(res.body).toContain('"lt_cid"');
    expect(() => new Function(res.body)).not.toThrow();
    expect(clicks).toEqual([]);
  });
});

describe('POST /v1/collect', () => {
  it('takes a confirmation sent as a beacon (text/plain JSON) from an allowed origin', async () => {
    const { app, confirmed } = setup();
    const res = await post(app, { type: 'confirm', click_id: CLICK.toUpperCase() });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    expect(confirmed).toEqual([{ click_id: CLICK, ts: expect.any(Number), source: 'beacon' }]);
    const json = await post(
      app,
      { type: 'confirm', click_id: CLICK },
      { 'content-type': 'application/json' },
    );
    expect(json.statusCode).toBe(204);
  });

  it('dispatches on type: an unknown type or a bad event is 400 with a stable code', async () => {
    const { app, confirmed } = setup();
    const cases: [unknown, string][] = [
      [{ type: 'purchase', click_id: CLICK }, 'LT_COLLECT_UNKNOWN_TYPE'],
      [{ type: 'toString' }, 'LT_COLLECT_UNKNOWN_TYPE'],
      [{ click_id: CLICK }, 'LT_COLLECT_UNKNOWN_TYPE'],
      [{ type: 'confirm', click_id: 'nope' }, 'LT_COLLECT_INVALID'],
      [{ type: 'confirm', click_id: CLICK, extra: 1 }, 'LT_COLLECT_INVALID'],
      ['not json', 'LT_COLLECT_INVALID'],
      [[1, 2], 'LT_COLLECT_INVALID'],
    ];
    for (const [body, code] of cases) {
      const res = await post(app, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    expect(confirmed).toEqual([]);
  });

  it('refuses pages of other origins, and requests without an Origin', async () => {
    const { app, confirmed } = setup();
    const other = await post(app, { type: 'confirm', click_id: CLICK }, { origin: 'https://evil.example' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('LT_COLLECT_ORIGIN');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await app.inject({
      method: 'POST',
      url: '/v1/collect',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ type: 'confirm', click_id: CLICK }),
    });
    expect(none.statusCode).toBe(403);
    expect(confirmed).toEqual([]);
    const anyOrigin = setup(['*']);
    expect(
      (await post(anyOrigin.app, { type: 'confirm', click_id: CLICK }, { origin: 'https://x.example' }))
        .statusCode,
    ).toBe(204);
  });

  it('answers the preflight of a fetch for allowed origins only', async () => {
    const { app } = setup();
    const ok = await app.inject({
      method: 'OPTIONS',
      url: '/v1/collect',
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers).toMatchObject({
      'access-control-allow-origin': SHOP,
      'access-control-allow-methods': 'POST',
    });
    const no = await app.inject({
      method: 'OPTIONS',
      url: '/v1/collect',
      headers: { origin: 'https://evil.example' },
    });
    expect(no.statusCode).toBe(403);
  });

  it('limits the rate per client address, and counts every outcome', async () => {
    const { app, metrics } = setup([SHOP], { burst: 3, perSecond: 0.001 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await post(app, { type: 'confirm', click_id: CLICK })).statusCode);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
    const counted = await metrics.collectRequests.get();
    expect(counted.values.map((v) => [v.labels.outcome, v.value])).toEqual([
      ['accepted', 3],
      ['LT_COLLECT_RATE_LIMITED', 2],
    ]);
  });
});

describe('POST /v1/collect, type conversion', () => {
  const A = '01936f6e-8c1a-7b2e-9f00-00000000000a';
  const conversion = (extra: Record<string, unknown> = {}) => ({
    type: 'conversion',
    key: KEY,
    event: 'Purchase',
    value: '19.99',
    currency: 'EUR',
    id: 'order-7',
    touches: [
      { click_id: CLICK.toUpperCase(), ts: 2_000 },
      { click_id: A, ts: 1_000 },
      { click_id: A, ts: 1_500 },
    ],
    ...extra,
  });

  it('takes a browser conversion: source browser, dated on arrival, touches in client order', async () => {
    const { app, converted, confirmed } = setup();
    const before = Date.now();
    const res = await post(app, conversion());
    expect(res.statusCode).toBe(204);
    expect(converted).toEqual([
      {
        conversion_id: 'order-7',
        click_id: CLICK,
        touches: [A, CLICK],
        event: 'purchase',
        value: '19.99',
        currency: 'EUR',
        source: 'browser',
        ts: expect.any(Number),
        received_at: expect.any(Number),
      },
    ]);
    expect(converted[0]?.ts).toBeGreaterThanOrEqual(before);
    expect(converted[0]?.received_at).toBe(converted[0]?.ts);
    expect(confirmed).toEqual([]);
  });

  it('generates an id when none is given, and takes a conversion with no touches unattributed', async () => {
    const { app, converted } = setup();
    const res = await post(app, { type: 'conversion', key: KEY, event: 'signup', touches: [] });
    expect(res.statusCode).toBe(204);
    expect(converted[0]).toMatchObject({
      conversion_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      click_id: '00000000-0000-0000-0000-000000000000',
      touches: [],
      value: '0',
      currency: '',
      source: 'browser',
    });
  });

  it('needs the publishable key, and refuses every conversion while none is configured', async () => {
    const { app, converted } = setup();
    for (const key of [undefined, null, 'pk_other_0123456789abcdef', 42]) {
      const res = await post(app, conversion({ key }));
      expect(res.statusCode, String(key)).toBe(403);
      expect(res.json().error.code).toBe('LT_COLLECT_KEY');
    }
    const off = setup([SHOP], undefined, null);
    const res = await post(off.app, conversion());
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/LINKTRACK_PUBLISHABLE_KEY/);
    expect([...converted, ...off.converted]).toEqual([]);
  });

  it('validates strictly, naming the field', async () => {
    const { app, converted } = setup();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ extra: 1 }, /unknown field "extra"/],
      [{ event: 'café' }, /^event: /],
      [{ event: undefined }, /^event: /],
      [{ value: '-1' }, /^value: must not be negative/],
      [{ value: '1.23456' }, /^value: /],
      [{ currency: undefined }, /^currency: is required with a value/],
      [{ currency: 'EUD' }, /^currency: /],
      [{ id: 'a b' }, /^id: /],
      [{ touches: 'x' }, /^touches: /],
      [{ touches: Array(21).fill({ click_id: A, ts: 1 }) }, /^touches: /],
      [{ touches: [{ click_id: 'nope', ts: 1 }] }, /^touches\[0\]\.click_id: not a UUID/],
      [{ touches: [{ click_id: A, ts: -1 }] }, /^touches\[0\]\.ts: /],
      [{ touches: [{ click_id: A, ts: 1, extra: 2 }] }, /^touches\[0\]: unknown field/],
      [{ touches: [A] }, /^touches\[0\]: /],
      [{ source: 'server' }, /unknown field "source"/],
    ];
    for (const [extra, message] of cases) {
      const res = await post(app, conversion(extra));
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().error.code).toBe('LT_COLLECT_INVALID');
      expect(res.json().error.message, JSON.stringify(extra)).toMatch(message);
    }
    expect(converted).toEqual([]);
  });

  it('keeps the origin check and the rate limit', async () => {
    const { app, converted } = setup([SHOP], { burst: 2, perSecond: 0.001 });
    expect((await post(app, conversion(), { origin: 'https://evil.example' })).statusCode).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(app, conversion({ id: `o-${i}` }))).statusCode);
    expect(statuses).toEqual([204, 204, 429]);
    expect(converted.map((c) => c.conversion_id)).toEqual(['o-0', 'o-1']);
  });
});

/** A page's globals, enough for the script: what it reads and what it sends. */
function fakePage(
  url: string,
  state: {
    visibility?: string;
    ready?: string;
    prerendering?: boolean;
    /** The site's localStorage, kept across pages; null: storage refused (private mode). */
    storage?: Map<string, string> | null;
    dataKey?: string;
    cookie?: string;
  } = {},
) {
  const sent: { url: string; body: string; type: string }[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const storage = state.storage === undefined ? new Map<string, string>() : state.storage;
  const refused = () => {
    throw new Error('SecurityError');
  };
  const on = (name: string, f: () => void) => {
    listeners[name] = [...(listeners[name] ?? []), f];
  };
  const document = {
    currentScript: {
      src: 'https://sho.rt/t.js',
      getAttribute: (name: string) => (name === 'data-key' ? (state.dataKey ?? null) : null),
    },
    cookie: state.cookie ?? '',
    visibilityState: state.visibility ?? 'visible',
    readyState: state.ready ?? 'complete',
    prerendering: state.prerendering ?? false,
    addEventListener: on,
  };
  const window = {
    location: { href: url },
    localStorage: storage
      ? {
          getItem: (k: string) => storage.get(k) ?? null,
          setItem: (k: string, v: string) => void storage.set(k, v),
        }
      : { getItem: refused, setItem: refused },
    addEventListener: on,
    linktrack: undefined as
      | undefined
      | { convert(event: string, o?: object): void; init(o: { key: string }): void },
  };
  class FakeBlob {
    constructor(
      readonly parts: string[],
      readonly options: { type: string },
    ) {}
  }
  const navigator = {
    sendBeacon: (to: string, blob: FakeBlob) => {
      sent.push({ url: to, body: blob.parts.join(''), type: blob.options.type });
      return true;
    },
  };
  const fire = (name: string) => {
    for (const f of listeners[name] ?? []) f();
  };
  return {
    globals: { window, document, navigator, Blob: FakeBlob, URL, JSON },
    sent,
    storage: storage as Map<string, string>,
    document,
    window,
    fire,
  };
}

describe('the script in a page', () => {
  const script = buildTrackerScript({ clickIdParam: 'lt_cid' });
  const run = (page: ReturnType<typeof fakePage>) => runInNewContext(script, page.globals);

  it('confirms the click id of the landing URL with a beacon to its own host, and keeps the id', () => {
    const page = fakePage(`https://shop.example/spring?utm_source=x&lt_cid=${CLICK}`);
    run(page);
    expect(page.sent).toEqual([
      {
        url: 'https://sho.rt/v1/collect',
        body: JSON.stringify({ type: 'confirm', click_id: CLICK }),
        type: 'text/plain',
      },
    ]);
    expect(page.storage.get('lt_cid')).toBe(CLICK);
    expect(JSON.parse(page.storage.get('lt_touches') as string)).toEqual([[CLICK, expect.any(Number)]]);
  });

  it('waits for the page to load, to be visible, and for a prerender to be shown', () => {
    const loading = fakePage(`https://shop.example/?lt_cid=${CLICK}`, { ready: 'loading' });
    run(loading);
    expect(loading.sent).toHaveLength(0);
    loading.fire('load');
    expect(loading.sent).toHaveLength(1);

    const hidden = fakePage(`https://shop.example/?lt_cid=${CLICK}`, { visibility: 'hidden' });
    run(hidden);
    expect(hidden.sent).toHaveLength(0);
    hidden.document.visibilityState = 'visible';
    hidden.fire('visibilitychange');
    hidden.fire('visibilitychange');
    expect(hidden.sent).toHaveLength(1);

    const prerendered = fakePage(`https://shop.example/?lt_cid=${CLICK}`, { prerendering: true });
    run(prerendered);
    expect(prerendered.sent).toHaveLength(0);
    prerendered.document.prerendering = false;
    prerendered.fire('prerenderingchange');
    expect(prerendered.sent).toHaveLength(1);
  });

  it('sends nothing for a page opened without a click id, or with a malformed one', () => {
    for (const url of [
      'https://shop.example/',
      'https://shop.example/?lt_cid=<script>',
      'https://shop.example/?lt_cid=',
    ]) {
      const page = fakePage(url);
      run(page);
      expect(page.sent, url).toEqual([]);
    }
  });

  it('keeps the click ids it landed with, newest 20, and sends them with linktrack.convert', () => {
    const storage = new Map<string, string>();
    const ids = Array.from(
      { length: 22 },
      (_, i) => `01936f6e-8c1a-7b2e-9f00-${String(i).padStart(12, '0')}`,
    );
    for (const id of ids) run(fakePage(`https://shop.example/?lt_cid=${id}`, { storage }));
    // A later page of the visit, without the parameter: no new touch, the key from the tag.
    const page = fakePage('https://shop.example/checkout', { storage, dataKey: KEY });
    run(page);
    page.window.linktrack?.convert('purchase', { value: '19.99', currency: 'EUR', id: 'order-1' });
    expect(page.sent).toHaveLength(1);
    const body = JSON.parse(page.sent[0]?.body as string);
    expect(body).toMatchObject({
      type: 'conversion',
      key: KEY,
      event: 'purchase',
      value: '19.99',
      currency: 'EUR',
      id: 'order-1',
    });
    expect(body.touches.map((t: { click_id: string }) => t.click_id)).toEqual(ids.slice(-20));
    expect(body.touches.every((t: { ts: number }) => typeof t.ts === 'number')).toBe(true);
  });

  it('moves a click id seen again to the newest place, and takes the key from linktrack.init', () => {
    const storage = new Map<string, string>();
    const [a, b] = ['01936f6e-8c1a-7b2e-9f00-00000000000a', '01936f6e-8c1a-7b2e-9f00-00000000000b'];
    for (const id of [a, b, a]) run(fakePage(`https://shop.example/?lt_cid=${id}`, { storage }));
    const page = fakePage('https://shop.example/', { storage });
    run(page);
    page.window.linktrack?.init({ key: 'pk_later_0123456789ab' });
    page.window.linktrack?.convert('signup');
    const body = JSON.parse(page.sent[0]?.body as string);
    expect(body.key).toBe('pk_later_0123456789ab');
    expect(body.touches.map((t: { click_id: string }) => t.click_id)).toEqual([b, a]);
    expect(body).not.toHaveProperty('value');
  });

  it('falls back to a cookie, then to memory, where localStorage is refused', () => {
    const landing = fakePage(`https://shop.example/?lt_cid=${CLICK}`, { storage: null });
    run(landing);
    const cookie = landing.document.cookie;
    expect(cookie).toMatch(/^lt_touches=.*;path=\/;max-age=7776000;samesite=lax$/);
    // The browser sends back name=value only.
    const later = fakePage('https://shop.example/thanks', {
      storage: null,
      cookie: cookie.split(';')[0] as string,
    });
    run(later);
    later.window.linktrack?.convert('signup');
    expect(JSON.parse(later.sent[0]?.body as string).touches).toEqual([
      { click_id: CLICK, ts: expect.any(Number) },
    ]);
  });

  it('starts the list from a click id stored before the list existed', () => {
    const storage = new Map([['lt_cid', CLICK]]);
    const page = fakePage('https://shop.example/', { storage });
    run(page);
    page.window.linktrack?.convert('signup');
    expect(JSON.parse(page.sent[0]?.body as string).touches).toEqual([{ click_id: CLICK, ts: 0 }]);
  });
});
