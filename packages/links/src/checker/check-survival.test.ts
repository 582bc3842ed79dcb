import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSurvival, metaRefreshTarget } from './check-survival.js';

/** Landing pages and redirectors that treat parameters the ways real sites do. */
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const q = url.search;
    const go = (location: string, status = 302) => res.writeHead(status, { location }).end();
    switch (url.pathname) {
      case '/preserve':
        return go(`/landing${q}`, 301);
      case '/strip':
        return go('/landing');
      case '/rename':
        return go(`/landing?${q.slice(1).replaceAll('utm_', 'utm')}`);
      case '/lowercase':
        return go(`/landing${q.toLowerCase()}`, 307);
      case '/meta':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          `<html><head><meta http-equiv="refresh" content="0; url=/landing${q.replaceAll('&', '&amp;')}"></head></html>`,
        );
      case '/loop':
        return go('/loop');
      case '/landing':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body>landed</body></html>');
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const QUERY = '?utm_source=News&utm_medium=email&lt_cid=0193abc&x=1';
const allow = { allowPrivate: true };

describe('checkSurvival against local servers', () => {
  it('a chain that preserves parameters is ok', async () => {
    const r = await checkSurvival(`${base}/preserve${QUERY}`, allow);
    expect(r).toMatchObject({ ok: true, final_url: `${base}/landing${QUERY}`, lost: [], changed: [] });
    expect(r.hops.map((h) => h.status)).toEqual([301, 200]);
  });

  it('reports every tracked parameter a redirect strips', async () => {
    const r = await checkSurvival(`${base}/strip${QUERY}`, allow);
    expect(r).toMatchObject({ ok: false, lost: ['utm_source', 'utm_medium', 'lt_cid'], changed: [] });
  });

  it('reports renamed parameters as lost', async () => {
    const r = await checkSurvival(`${base}/rename${QUERY}`, allow);
    expect(r.lost).toEqual(['utm_source', 'utm_medium']);
    expect(r.final_url).toContain('utmsource=News');
  });

  it('reports lower-cased values as changed', async () => {
    const r = await checkSurvival(`${base}/lowercase${QUERY}`, allow);
    expect(r.changed).toEqual([{ param: 'utm_source', from: 'News', to: 'news' }]);
    expect(r.lost).toEqual([]);
  });

  it('follows a meta refresh', async () => {
    const r = await checkSurvival(`${base}/meta${QUERY}`, allow);
    expect(r).toMatchObject({ ok: true, final_url: `${base}/landing${QUERY}` });
    expect(r.hops.map((h) => h.status)).toEqual([200, 200]);
  });

  it('compares with the expected values when given', async () => {
    const r = await checkSurvival(`${base}/preserve${QUERY}`, {
      ...allow,
      expectUtm: { utm_source: 'news' },
    });
    expect(r.changed).toEqual([{ param: 'utm_source', from: 'news', to: 'News' }]);
  });

  it('stops after 10 hops', async () => {
    const r = await checkSurvival(`${base}/loop`, allow);
    expect(r.hops).toHaveLength(10);
    expect(r.error?.code).toBe('LT_CHECK_TOO_MANY_HOPS');
    expect(r.ok).toBe(false);
  });

  it('gives up on a hop that does not answer in time', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const r = await checkSurvival(`http://127.0.0.1:${port}/?utm_source=a`, { ...allow, hopTimeoutMs: 300 });
    expect(r.error?.code).toBe('LT_CHECK_UNREACHABLE');
    expect(Date.now() - started).toBeLessThan(3_000);
    silent.closeAllConnections();
    await new Promise((res) => silent.close(res));
  });
});

describe('SSRF safety', () => {
  it('refuses loopback and private targets unless allowed', async () => {
    const r = await checkSurvival(`${base}/preserve${QUERY}`, { allowPrivate: false });
    expect(r.error?.code).toBe('LT_CHECK_REFUSED_ADDRESS');
    expect(r.hops).toEqual([]);
  });

  it('refuses cloud metadata and link-local addresses always', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
    ]) {
      const r = await checkSurvival(url, { allowPrivate: true });
      expect(r.error?.code, url).toBe('LT_CHECK_REFUSED_ADDRESS');
    }
  });

  it('checks every hop: a public-looking chain that redirects to a private address stops there', async () => {
    const hops: string[] = [];
    const r = await checkSurvival('https://public.example/?utm_source=a', {
      allowPrivate: false,
      fetch: async (url) => {
        hops.push(url.href);
        // The first hop "answers" with a redirect to the metadata endpoint; the real fetcher checks it.
        if (url.hostname === 'public.example')
          return { status: 302, location: 'http://169.254.169.254/', contentType: '', body: '' };
        const { fetchOnce } = await import('./safe-fetch.js');
        return fetchOnce(url, { allowPrivate: false, timeoutMs: 1_000 });
      },
    });
    expect(hops).toEqual(['https://public.example/?utm_source=a', 'http://169.254.169.254/']);
    expect(r.error?.code).toBe('LT_CHECK_REFUSED_ADDRESS');
  });

  it('checks the addresses a name resolves to, not only IP literals', async () => {
    const r = await checkSurvival(`http://localhost:${new URL(base).port}/landing?utm_source=a`, {
      allowPrivate: false,
    });
    expect(r.error?.code).toBe('LT_CHECK_REFUSED_ADDRESS');
    expect(r.error?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });
});

describe('metaRefreshTarget', () => {
  it.each([
    [
      '<meta http-equiv="refresh" content="0; url=https://a.example/?a=1&amp;b=2">',
      'https://a.example/?a=1&b=2',
    ],
    ["<META HTTP-EQUIV='Refresh' CONTENT='5;URL=/next'>", '/next'],
    ['<meta content="0;url=\'/q\'" http-equiv="refresh">', '/q'],
    ['<meta http-equiv="refresh" content="30">', null],
    ['<meta name="viewport" content="width=device-width">', null],
  ])('%s → %s', (html, target) => {
    expect(metaRefreshTarget(html)).toBe(target);
  });
});
