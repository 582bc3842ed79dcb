import { runInNewContext } from 'node:vm';
import { LinkIndex } from '@linktrack/links';
import type { ClickConfirmation, ClickEvent } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { describe, expect, it } from 'vitest';
import { buildRedirectApp } from '../app.js';
import { buildTrackerScript } from '../tracker/build-script.js';

const CLICK = '01936f6e-8c1a-7b2e-9f00-000000000007';
const SHOP = 'https://shop.example';

function setup(allowedOrigins = [SHOP], rateLimit?: { burst: number; perSecond: number }) {
  const links = new LinkIndex();
  links.markLoaded();
  const clicks: ClickEvent[] = [];
  const confirmed: ClickConfirmation[] = [];
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
      sinks: { confirm: (c) => void confirmed.push(c) },
      ...(rateLimit ? { rateLimit } : {}),
    },
  });
  return { app, clicks, confirmed, metrics };
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
    expect(res.body.length).toBeLessThan(1_536);
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
      [{ type: 'conversion', click_id: CLICK }, 'LT_COLLECT_UNKNOWN_TYPE'],
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

/** A page's globals, enough for the script: what it reads and what it sends. */
function fakePage(url: string, state: { visibility?: string; ready?: string; prerendering?: boolean } = {}) {
  const sent: { url: string; body: string; type: string }[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const storage = new Map<string, string>();
  const on = (name: string, f: () => void) => {
    listeners[name] = [...(listeners[name] ?? []), f];
  };
  const document = {
    currentScript: { src: 'https://sho.rt/t.js' },
    visibilityState: state.visibility ?? 'visible',
    readyState: state.ready ?? 'complete',
    prerendering: state.prerendering ?? false,
    addEventListener: on,
  };
  const window = {
    location: { href: url },
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
    },
    addEventListener: on,
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
    storage,
    document,
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
    expect([...page.storage]).toEqual([['lt_cid', CLICK]]);
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
});
