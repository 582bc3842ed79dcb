import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '@linktrack/bus';
import { followLinks, LinkIndex } from '@linktrack/links';
import { openStore, type Store } from '@linktrack/store';
import { createCodecs } from '@linktrack/streams';
import { createLogger } from '@linktrack/telemetry';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiApp } from './app.js';
import { createLinkService } from './link-service.js';

const KEY = 'test-key-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };
const logger = createLogger('silent');

let store: Store;
let app: FastifyInstance;
let index: LinkIndex;
let bus: InProcessBus;

beforeAll(async () => {
  store = await openStore({ url: null, dataDir: mkdtempSync(join(tmpdir(), 'lt-api-')), logger });
  bus = new InProcessBus({ logger });
  index = new LinkIndex();
  const codecs = createCodecs();
  // The api learns of its own creates from the links topic, as in production.
  await followLinks(index, { bus, codec: codecs.linkEvent, logger, group: 'api-test' });
  const links = createLinkService({ bus, codec: codecs.linkEvent, index, baseUrl: 'https://sho.rt' });
  app = await buildApiApp({
    apiKey: KEY,
    analyst: store.analyst,
    links,
    logger,
    readiness: () => ({ ready: true }),
  });
});

afterAll(async () => {
  await app?.close();
  await bus?.close();
  await store?.close();
});

describe('auth', () => {
  it('rejects a missing or wrong key with 401 and a coded error, but leaves health checks open', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: KEY }]) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/links',
        headers,
        payload: { url: 'https://a.example/' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('LT_API_UNAUTHORIZED');
    }
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('POST /v1/links', () => {
  it('creates a link with its UTMs, publishes it and answers 201', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: auth,
      payload: {
        url: 'https://shop.example/spring',
        slug: 'spring',
        utm: { source: 'newsletter', medium: 'email', campaign: 'spring' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      slug: 'spring',
      short_url: 'https://sho.rt/spring',
      destination: 'https://shop.example/spring?utm_source=newsletter&utm_medium=email&utm_campaign=spring',
      warnings: [],
    });
    expect(index.get('spring')?.utm_campaign).toBe('spring');
    expect((await bus.endOffsets('links')).get(0)).toBe('1');
  });

  it('creates a honeypot link, and a link is not one unless asked', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: auth,
      payload: { url: 'https://shop.example/hidden', slug: 'trap', honeypot: true },
    });
    expect(res.statusCode).toBe(201);
    expect(index.get('trap')?.honeypot).toBe(true);
    expect(index.get('spring')?.honeypot).toBe(false);
  });

  it('generates a short slug when none is given', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: auth,
      payload: { url: 'https://a.example/' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().slug).toMatch(/^[2-9a-zA-Z]{7}$/);
  });

  it('answers 409 for a taken slug', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: auth,
      payload: { url: 'https://other.example/', slug: 'spring' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'LT_API_SLUG_TAKEN', field: 'slug' });
  });

  it.each([
    [{}, 'LT_API_VALIDATION', 'url'],
    [{ url: 'https://a.example/', utm: { source: '' } }, 'LT_API_VALIDATION', 'utm.source'],
    [{ url: 'https://a.example/', slug: 'no spaces' }, 'LT_API_VALIDATION', 'slug'],
    [{ url: 'javascript:alert(1)' }, 'LT_LINK_BAD_URL', 'url'],
    [{ url: 'https://a.example/', slug: 'metrics' }, 'LT_LINK_RESERVED_SLUG', 'slug'],
  ])('rejects %j with %s naming %s', async (payload, code, field) => {
    const res = await app.inject({ method: 'POST', url: '/v1/links', headers: auth, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code, field });
    expect(res.json().error.message).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
  });
});

describe('PATCH and DELETE /v1/links/:slug', () => {
  const create = (slug: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/links',
      headers: auth,
      payload: {
        url: 'https://shop.example/a',
        slug,
        utm: { source: 'news', medium: 'email', campaign: 'c1' },
      },
    });

  it('changes the URL, keeps the UTMs, and publishes the new state under the slug', async () => {
    await create('movable');
    const before = (await bus.endOffsets('links')).get(0);
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/links/movable',
      headers: auth,
      payload: { url: 'https://shop.example/b' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      slug: 'movable',
      url: 'https://shop.example/b',
      destination: 'https://shop.example/b?utm_source=news&utm_medium=email&utm_campaign=c1',
      status: 'active',
    });
    expect(Number((await bus.endOffsets('links')).get(0))).toBe(Number(before) + 1);
    expect(index.get('movable')?.destination).toBe(res.json().destination);
  });

  it('disables with DELETE, and re-enables with PATCH status', async () => {
    await create('pausable');
    const disabled = await app.inject({ method: 'DELETE', url: '/v1/links/pausable', headers: auth });
    expect(disabled.statusCode).toBe(200);
    expect(index.get('pausable')?.status).toBe('disabled');
    const enabled = await app.inject({
      method: 'PATCH',
      url: '/v1/links/pausable',
      headers: auth,
      payload: { status: 'active' },
    });
    expect(enabled.json().status).toBe('active');
    expect(enabled.json().updated_at).toBeGreaterThan(disabled.json().updated_at);
  });

  it('answers 404 for an unknown slug and 400 for an empty change', async () => {
    const missing = await app.inject({
      method: 'PATCH',
      url: '/v1/links/ghost',
      headers: auth,
      payload: { status: 'disabled' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'LT_API_LINK_NOT_FOUND', field: 'slug' });
    await create('steady');
    const empty = await app.inject({ method: 'PATCH', url: '/v1/links/steady', headers: auth, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe('LT_API_VALIDATION');
  });
});

describe('POST /v1/sql', () => {
  it('runs a parameterised read query and returns row objects', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sql',
      headers: auth,
      payload: { query: 'SELECT number AS n FROM system.numbers LIMIT {limit:UInt32}', params: { limit: 3 } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: [{ n: '0' }, { n: '1' }, { n: '2' }], rows: 3 });
  });

  it('refuses writes with 403 before they reach the engine', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sql',
      headers: auth,
      payload: { query: "INSERT INTO linktrack.dead_letters (stage) VALUES ('x')" },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'LT_SQL_FORBIDDEN', field: 'query' });
  });

  it('keeps the engine code when the engine refuses a read-only violation', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sql',
      headers: auth,
      payload: { query: "SELECT * FROM file('/etc/passwd', 'LineAsString')" },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({ code: 'LT_SQL_READONLY', clickhouse_code: '164' });
  });

  it('reports SQL errors as 400 with the ClickHouse code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sql',
      headers: auth,
      payload: { query: 'SELEC 1' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'LT_SQL_ERROR', clickhouse_code: '62', field: 'query' });
  });
});
