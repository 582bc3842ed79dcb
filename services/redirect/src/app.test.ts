import { type AddressInfo, connect } from 'node:net';
import { LinkIndex } from '@linktrack/links';
import type { ClickEvent } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import { linkEvent } from '@linktrack/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRedirectApp } from './app.js';

const NOW = Date.UTC(2026, 10, 25, 12);

function setup(trustProxy: boolean | string[] = false) {
  const links = new LinkIndex();
  links.apply(
    linkEvent('spring', 'https://shop.example/spring?utm_source=newsletter', { track_conversions: false }),
  );
  links.apply(linkEvent('old', 'https://shop.example/old', { status: 'disabled' }));
  links.apply(linkEvent('bygone', 'https://shop.example/b', { expires_at: NOW - 1 }));
  links.apply(linkEvent('used', 'https://shop.example/u', { max_human_clicks: 1, exhausted_at: NOW - 5 }));
  links.apply(linkEvent('tracked', 'https://shop.example/t?utm_source=nl#top', { redirect_status: 307 }));
  links.apply(
    linkEvent('quiet', 'https://shop.example/q', { forward_query: false, track_conversions: false }),
  );
  links.markLoaded();
  const events: ClickEvent[] = [];
  const app = buildRedirectApp({
    status: 302,
    trustProxy,
    links,
    clicks: { push: (e) => void events.push(e) },
    logger: createLogger('silent'),
    metrics: createMetrics(),
    readiness: () => (links.ready ? { ready: true } : { ready: false, reason: 'loading links' }),
    clickIdParam: 'lt_cid',
    qrParam: 'lt_qr',
    now: () => NOW,
  });
  return { app, events, links };
}

let close: (() => Promise<void>) | null = null;
afterEach(async () => {
  await close?.();
  close = null;
});

describe('redirect app', () => {
  it('redirects with 302, no-store, and records the click with its signals', async () => {
    const { app, events } = setup();
    const res = await app.inject({
      method: 'GET',
      url: '/spring',
      headers: {
        'user-agent': 'UA/1',
        referer: 'https://t.co/x',
        'sec-fetch-mode': 'navigate',
        'accept-language': 'fr',
      },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://shop.example/spring?utm_source=newsletter');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      slug: 'spring',
      method: 'GET',
      user_agent: 'UA/1',
      referer: 'https://t.co/x',
      accept_language: 'fr',
      headers: { 'sec-fetch-mode': 'navigate' },
      link_found: true,
      visit_type: 'redirect',
    });
    expect(events[0]?.click_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('passes short-link parameters through without overriding the link UTMs', async () => {
    const { app, events } = setup();
    const res = await app.inject({ method: 'GET', url: '/spring?gclid=abc&utm_source=evil' });
    expect(res.headers.location).toBe('https://shop.example/spring?utm_source=newsletter&gclid=abc');
    expect(events[0]?.query).toBe('gclid=abc&utm_source=evil');
  });

  it('answers HEAD the same way and records it as HEAD', async () => {
    const { app, events } = setup();
    const res = await app.inject({ method: 'HEAD', url: '/spring' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('https://shop.example/spring?utm_source=newsletter');
    expect(events[0]?.method).toBe('HEAD');
  });

  it('answers 404 for an unknown slug and 410 Gone for a disabled, expired or used-up link, recording why', async () => {
    const { app, events } = setup();
    for (const [slug, status, text] of [
      ['nope', 404, 'Link not found'],
      ['old', 410, 'no longer available'],
      ['bygone', 410, 'no longer available'],
      ['used', 410, 'no longer available'],
    ] as const) {
      const res = await app.inject({ method: 'GET', url: `/${slug}` });
      expect(res.statusCode, slug).toBe(status);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.body).toContain(text);
    }
    expect(events.map((e) => [e.slug, e.visit_type, e.link_found, e.destination])).toEqual([
      ['nope', 'unknown_slug', false, ''],
      ['old', 'disabled', false, ''],
      ['bygone', 'expired', false, ''],
      ['used', 'exhausted', false, ''],
    ]);
  });

  it("uses the link's own status, forwards parameters and appends the click id before the fragment", async () => {
    const { app, events } = setup();
    const res = await app.inject({ method: 'GET', url: '/tracked?gclid=G&lt_cid=forged&utm_source=x' });
    expect(res.statusCode).toBe(307);
    expect(res.headers.location).toBe(
      `https://shop.example/t?utm_source=nl&gclid=G&lt_cid=${events[0]?.click_id}#top`,
    );
  });

  it('forwards nothing and adds no click id when the link says so', async () => {
    const { app } = setup();
    const res = await app.inject({ method: 'GET', url: '/quiet?gclid=G' });
    expect(res.headers.location).toBe('https://shop.example/q');
  });

  it('records a QR scan with trigger qr and strips the marker', async () => {
    const { app, events } = setup();
    const scan = await app.inject({ method: 'GET', url: '/spring?lt_qr=1' });
    expect(scan.headers.location).toBe('https://shop.example/spring?utm_source=newsletter');
    await app.inject({ method: 'GET', url: '/spring' });
    expect(events.map((e) => e.trigger)).toEqual(['qr', 'link']);
  });

  it('records a visit to / as base_url and a path that cannot be a slug as invalid_path', async () => {
    const { app, events } = setup();
    const paths = ['/', '/favicon.ico', '/wp-admin/setup.php?step=1', '/spring/'];
    for (const url of paths) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Link not found');
    }
    expect((await app.inject({ method: 'HEAD', url: '/' })).statusCode).toBe(404);
    // Only GET and HEAD are visits; other methods are answered the same way and not recorded.
    expect((await app.inject({ method: 'POST', url: '/spring' })).statusCode).toBe(404);
    expect(events.map((e) => [e.method, e.slug, e.visit_type, e.link_found])).toEqual([
      ['GET', '', 'base_url', false],
      ['GET', 'favicon.ico', 'invalid_path', false],
      ['GET', 'wp-admin/setup.php', 'invalid_path', false],
      ['GET', 'spring/', 'invalid_path', false],
      ['HEAD', '', 'base_url', false],
    ]);
    expect(events[2]?.query).toBe('step=1');
  });

  it('takes the client address from X-Forwarded-For only when trust proxy is on', async () => {
    const trusted = setup(true);
    await trusted.app.inject({
      method: 'GET',
      url: '/spring',
      headers: { 'x-forwarded-for': '81.2.69.160' },
    });
    expect(trusted.events[0]?.ip).toBe('81.2.69.160');
    const untrusted = setup(false);
    await untrusted.app.inject({
      method: 'GET',
      url: '/spring',
      headers: { 'x-forwarded-for': '81.2.69.160' },
    });
    expect(untrusted.events[0]?.ip).toBe('127.0.0.1');
  });

  it('reports its readiness, and serves no metrics on the public port', async () => {
    const { app } = setup();
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const notReady = buildRedirectApp({
      status: 302,
      trustProxy: false,
      links: new LinkIndex(),
      clicks: { push: () => {} },
      logger: createLogger('silent'),
      metrics: createMetrics(),
      readiness: () => ({ ready: false, reason: 'main thread not responding' }),
      clickIdParam: 'lt_cid',
      qrParam: 'lt_qr',
    });
    const res = await notReady.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'main thread not responding' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(404);
    expect(metrics.body).not.toContain('linktrack_');
  });

  it('answers 414 for an over-long slug and 431 for over-long headers, and keeps serving', async () => {
    const { app } = setup();
    await app.listen({ port: 0, host: '127.0.0.1' });
    close = () => app.close();
    const { port } = app.server.address() as AddressInfo;
    const long = await response(port, `/${'a'.repeat(10_000)}`);
    expect(long.split('\r\n')[0]).toBe('HTTP/1.1 414 URI Too Long');
    expect(long).not.toContain('aaaaaaaaaa');
    expect(long.length).toBeLessThan(1_000);
    const nested = await response(port, `/a/${'b'.repeat(2_000)}`);
    expect(nested.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
    expect(nested).not.toContain('bbbbbbbbbb');
    expect(await statusLine(port, '/spring', `X-Big: ${'b'.repeat(20_000)}\r\n`)).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large',
    );
    expect(await statusLine(port, '/spring')).toBe('HTTP/1.1 302 Found');
  });
});

/** A raw socket: Node's own client gives up writing once the server rejects an over-long header. */
async function statusLine(port: number, path: string, extraHeaders = ''): Promise<string> {
  return (await response(port, path, extraHeaders)).split('\r\n')[0] ?? '';
}

function response(port: number, path: string, extraHeaders = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n${extraHeaders}Connection: close\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}
