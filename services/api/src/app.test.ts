import { clickRow } from '@linktrack/streams';
import { type ApiUnderTest, apiUnderTest, enrichedClick, TEST_API_KEY } from '@linktrack/test-support';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KEY = TEST_API_KEY;
const auth = { authorization: `Bearer ${KEY}` };

let api: ApiUnderTest;
let app: FastifyInstance;

beforeAll(async () => {
  api = await apiUnderTest();
  app = api.app;
});

afterAll(async () => {
  await api?.close();
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

  it('reads FINAL by default, so a replayed copy counts once; final: false reads the parts as stored', async () => {
    const row = clickRow(enrichedClick(1, 'replayed-copy'));
    // Two inserts of the same click: a replay cut at other offsets than the first delivery.
    for (let i = 0; i < 2; i++)
      await api.store.client.insert({ table: 'linktrack.clicks', values: [row], format: 'JSONEachRow' });
    const count = async (final?: boolean) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/sql',
        headers: auth,
        payload: {
          query: "SELECT count() AS n FROM linktrack.clicks WHERE slug = 'replayed-copy'",
          ...(final === undefined ? {} : { final }),
        },
      });
      expect(res.statusCode).toBe(200);
      return res.json().data[0].n;
    };
    expect(await count()).toBe('1');
    expect(await count(false)).toBe('2');
    expect(await count(true)).toBe('1');
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
