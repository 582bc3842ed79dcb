import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseTaxonomy } from '@linktrack/links';
import { type ApiUnderTest, apiUnderTest, TEST_API_KEY } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const auth = { authorization: `Bearer ${TEST_API_KEY}` };
let api: ApiUnderTest;
let clock = Date.UTC(2026, 10, 25, 12);

beforeAll(async () => {
  api = await apiUnderTest({
    now: () => clock,
    policy: {
      ownDomains: ['shop.example'],
      taxonomy: parseTaxonomy(
        {
          mode: 'warn',
          parameters: { source: { aliases: { fb: 'facebook' } } },
        },
        'test-taxonomy.json',
      ),
    },
  });
});
afterAll(async () => api?.close());

const post = (url: string, payload: unknown) =>
  api.app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
const get = (url: string) => api.app.inject({ method: 'GET', url, headers: auth });
const patch = (url: string, payload: unknown) =>
  api.app.inject({ method: 'PATCH', url, headers: auth, payload: payload as object });

describe('POST /v1/links', () => {
  it('creates a link with every field, and answers 201 with the link and its warnings', async () => {
    const res = await post('/v1/links', {
      url: 'https://news.example/spring?ref=x',
      slug: 'spring',
      utm: { source: 'FB', medium: 'Email', campaign: 'spring sale' },
      redirect_status: 301,
      forward_query: false,
      track_conversions: false,
      tags: ['q2', 'email'],
      expires_at: '2027-01-01T00:00:00.000Z',
      max_human_clicks: 100,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body.endsWith('}\n')).toBe(true);
    const link = res.json();
    expect(link).toMatchObject({
      slug: 'spring',
      short_url: 'https://sho.rt/spring',
      url: 'https://news.example/spring?ref=x',
      destination:
        'https://news.example/spring?ref=x&utm_source=facebook&utm_medium=email&utm_campaign=spring_sale',
      utm: { source: 'facebook', medium: 'email', campaign: 'spring_sale', term: '', content: '' },
      status: 'active',
      redirect_status: 301,
      forward_query: false,
      track_conversions: false,
      tags: ['q2', 'email'],
      expires_at: '2027-01-01T00:00:00.000Z',
      max_human_clicks: 100,
      exhausted_at: null,
      honeypot: false,
      created_at: '2026-11-25T12:00:00.000Z',
    });
    expect(link.warnings.map((w: { code: string }) => w.code)).toEqual([
      'normalized_case',
      'alias_applied',
      'normalized_case',
      'normalized_whitespace',
    ]);
    expect(api.index.get('spring')?.max_human_clicks).toBe(100);
  });

  it('gives defaults: the configured redirect status, forwarding and click ids on, no tags, no cap', async () => {
    const res = await post('/v1/links', { url: 'https://a.example/' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      redirect_status: 0,
      forward_query: true,
      track_conversions: true,
      tags: [],
      expires_at: null,
      max_human_clicks: null,
      warnings: [],
    });
    expect(res.json().slug).toMatch(/^[2-9a-zA-Z]{7}$/);
  });

  it('answers 409 for a taken slug', async () => {
    const res = await post('/v1/links', { url: 'https://other.example/', slug: 'spring' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LT_API_SLUG_TAKEN', field: 'slug' });
  });

  it('flags UTMs on a link to one of your own domains', async () => {
    const res = await post('/v1/links', {
      url: 'https://www.shop.example/cart',
      utm: { source: 'newsletter', medium: 'email', campaign: 'c' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().warnings.map((w: { code: string }) => w.code)).toEqual(['internal_link_utm']);
  });

  it.each([
    [{}, 'LT_API_VALIDATION', 'url'],
    [{ url: 'https://a.example/', utm: { source: '' } }, 'LT_API_VALIDATION', 'utm.source'],
    [{ url: 'https://a.example/', slug: 'no spaces' }, 'LT_API_VALIDATION', 'slug'],
    [{ url: 'https://a.example/', bogus: 1 }, 'LT_API_VALIDATION', 'bogus'],
    [{ url: 'https://a.example/', redirect_status: 303 }, 'LT_API_VALIDATION', 'redirect_status'],
    [{ url: 'https://a.example/', tags: ['a', 'a'] }, 'LT_API_VALIDATION', 'tags'],
    [{ url: 'https://a.example/', expires_at: 'tomorrow' }, 'LT_API_VALIDATION', 'expires_at'],
    [{ url: 'https://a.example/', expires_at: '2020-01-01T00:00:00Z' }, 'LT_API_VALIDATION', 'expires_at'],
    [{ url: 'https://a.example/', max_human_clicks: 0 }, 'LT_API_VALIDATION', 'max_human_clicks'],
    [{ url: 'javascript:alert(1)' }, 'LT_LINK_BAD_SCHEME', 'url'],
    [{ url: 'not a url' }, 'LT_LINK_BAD_URL', 'url'],
    [{ url: 'https://u:p@a.example/' }, 'LT_LINK_CREDENTIALS', 'url'],
    [{ url: 'http://192.168.0.1/' }, 'LT_LINK_PRIVATE_DESTINATION', 'url'],
    [{ url: `https://a.example/?${'x'.repeat(7_990)}` }, 'LT_LINK_URL_TOO_LONG', 'url'],
    [{ url: 'https://a.example/', slug: 'metrics' }, 'LT_LINK_RESERVED_SLUG', 'slug'],
  ])('refuses %j with %s naming %s, and creates nothing', async (payload, code, field) => {
    const before = api.index.size;
    const res = await post('/v1/links', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, field });
    expect(res.json().error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(api.index.size).toBe(before);
  });
});

describe('GET /v1/links and /v1/links/:slug', () => {
  beforeAll(async () => {
    for (const [i, campaign, tags] of [
      [1, 'alpha', ['red']],
      [2, 'alpha', ['blue']],
      [3, 'beta', ['red', 'blue']],
      [4, 'beta', []],
      [5, 'gamma', ['red']],
    ] as const) {
      clock += 1_000;
      const res = await post('/v1/links', {
        url: `https://list.example/${i}`,
        slug: `list-${i}`,
        utm: { source: 'src', medium: 'med', campaign },
        tags,
      });
      expect(res.statusCode).toBe(201);
    }
  });

  it('reads one link, and answers 404 for an unknown one', async () => {
    expect((await get('/v1/links/list-3')).json()).toMatchObject({ slug: 'list-3', tags: ['red', 'blue'] });
    const missing = await get('/v1/links/ghost');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('LT_API_LINK_NOT_FOUND');
  });

  it('filters by tag, campaign, status and text, newest first', async () => {
    const slugs = async (query: string) =>
      (await get(`/v1/links?${query}`)).json().links.map((l: { slug: string }) => l.slug);
    expect(await slugs('tag=red&q=list-')).toEqual(['list-5', 'list-3', 'list-1']);
    expect(await slugs('campaign=BETA')).toEqual(['list-4', 'list-3']);
    expect(await slugs('q=list.example/2')).toEqual(['list-2']);
    expect(await slugs('status=disabled')).toEqual([]);
  });

  it('pages with a cursor until there is none', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/links?q=list-&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json();
      seen.push(...page.links.map((l: { slug: string }) => l.slug));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['list-5', 'list-4', 'list-3', 'list-2', 'list-1']);
  });

  it('refuses a bad limit or cursor naming the field', async () => {
    expect((await get('/v1/links?limit=0')).json().error).toMatchObject({
      code: 'LT_API_VALIDATION',
      field: 'limit',
    });
    expect((await get('/v1/links?cursor=zzz')).json().error).toMatchObject({
      code: 'LT_API_VALIDATION',
      field: 'cursor',
    });
  });
});

describe('PATCH, DELETE and the lifecycle', () => {
  it('changes the URL and keeps the UTMs', async () => {
    await post('/v1/links', {
      url: 'https://x.example/a',
      slug: 'movable',
      utm: { source: 's', medium: 'm', campaign: 'c' },
    });
    const res = await patch('/v1/links/movable', { url: 'https://x.example/b' });
    expect(res.statusCode).toBe(200);
    expect(res.json().destination).toBe('https://x.example/b?utm_source=s&utm_medium=m&utm_campaign=c');
  });

  it('disables with DELETE and re-enables with PATCH', async () => {
    await post('/v1/links', { url: 'https://x.example/', slug: 'pausable' });
    const disabled = await api.app.inject({ method: 'DELETE', url: '/v1/links/pausable', headers: auth });
    expect(disabled.json().status).toBe('disabled');
    const enabled = await patch('/v1/links/pausable', { status: 'active' });
    expect(enabled.json().status).toBe('active');
  });

  it('shows a link as expired once its time has passed, and clears the expiry with null', async () => {
    await post('/v1/links', {
      url: 'https://x.example/',
      slug: 'brief',
      expires_at: new Date(clock + 60_000).toISOString(),
    });
    clock += 120_000;
    expect((await get('/v1/links/brief')).json().status).toBe('expired');
    expect((await patch('/v1/links/brief', { expires_at: null })).json()).toMatchObject({
      status: 'active',
      expires_at: null,
    });
  });

  it('answers 404 for an unknown slug and 400 for an empty change', async () => {
    expect((await patch('/v1/links/ghost', { status: 'disabled' })).statusCode).toBe(404);
    const empty = await patch('/v1/links/movable', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('LT_API_VALIDATION');
  });
});

describe('POST /v1/links/bulk', () => {
  it('creates each valid item and refuses each bad one on its own', async () => {
    const res = await post('/v1/links/bulk', {
      links: [
        { url: 'https://bulk.example/1', slug: 'bulk-1' },
        { url: 'ftp://bulk.example/2', slug: 'bulk-2' },
        { url: 'https://bulk.example/3', slug: 'bulk-1' },
        { slug: 'bulk-4' },
        { url: 'https://bulk.example/5', slug: 'spring' },
        { url: 'https://bulk.example/6' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 2, failed: 4 });
    expect(body.results.map((r: { ok: boolean; error?: { code: string } }) => r.error?.code ?? 'ok')).toEqual(
      ['ok', 'LT_LINK_BAD_SCHEME', 'LT_API_SLUG_TAKEN', 'LT_API_VALIDATION', 'LT_API_SLUG_TAKEN', 'ok'],
    );
    expect(body.results[3].error.field).toBe('url');
    expect(api.index.get('bulk-1')?.url).toBe('https://bulk.example/1');
    expect(api.index.get('bulk-2')).toBeUndefined();
  });

  it('takes at most 1,000 links', async () => {
    const res = await post('/v1/links/bulk', {
      links: Array.from({ length: 1_001 }, (_, i) => ({ url: `https://x.example/${i}` })),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'LT_API_VALIDATION', field: 'links' });
  });
});

describe('QR codes', () => {
  it('serves an SVG and a PNG of the short URL with the QR marker', async () => {
    const svg = await get('/v1/links/spring/qr.svg?size=200&margin=2');
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.body).toMatch(/^<svg [^>]*width="200"/);
    const png = await get('/v1/links/spring/qr.png');
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect(png.rawPayload.readUInt32BE(16)).toBe(256); // IHDR width
  });

  it('refuses an unknown link and a bad size', async () => {
    expect((await get('/v1/links/ghost/qr.svg')).statusCode).toBe(404);
    expect((await get('/v1/links/spring/qr.png?size=5')).json().error).toMatchObject({ field: 'size' });
  });
});

describe('POST /v1/utm/check', () => {
  it('normalizes UTMs and lists the problems, creating nothing', async () => {
    const before = api.index.size;
    const res = await post('/v1/utm/check', { utm: { source: ' Fb ', medium: 'Email' } });
    expect(res.json()).toEqual({
      normalized: { utm: { source: 'facebook', medium: 'email' } },
      problems: [
        expect.objectContaining({ code: 'normalized_whitespace', param: 'utm_source' }),
        expect.objectContaining({ code: 'normalized_case', param: 'utm_source' }),
        expect.objectContaining({ code: 'alias_applied', param: 'utm_source' }),
        expect.objectContaining({ code: 'normalized_case', param: 'utm_medium' }),
        expect.objectContaining({ code: 'missing_required', param: 'utm_campaign' }),
      ],
    });
    expect(api.index.size).toBe(before);
  });

  it('checks the UTMs on a URL the same way', async () => {
    const res = await post('/v1/utm/check', {
      url: 'https://shop.example/?utm_source=Facebook&utm_medium=social&utm_campaign=x',
    });
    expect(res.json().normalized.url).toBe(
      'https://shop.example/?utm_source=facebook&utm_medium=social&utm_campaign=x',
    );
    expect(res.json().problems.map((p: { code: string }) => p.code)).toEqual([
      'normalized_case',
      'internal_link_utm',
    ]);
  });
});

describe('POST /v1/check', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/strip') return res.writeHead(302, { location: '/landing' }).end();
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>ok</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('reports the parameters a redirect chain lost', async () => {
    const res = await post('/v1/check', { url: `${base}/strip?utm_source=nl&lt_cid=abc` });
    expect(res.json()).toMatchObject({
      ok: false,
      final_url: `${base}/landing`,
      hops: [
        { url: `${base}/strip?utm_source=nl&lt_cid=abc`, status: 302 },
        { url: `${base}/landing`, status: 200 },
      ],
      lost: ['utm_source', 'lt_cid'],
      changed: [],
    });
  });
});
