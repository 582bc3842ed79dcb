import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Keys, odd headers and paths, and where metrics are served: each probe with its exact answer. */
const KEY = 'http-probe-key-0123456789';
let stack: RunningStack;

beforeAll(async () => {
  const config = loadConfig({
    LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-http-probes-')),
    LINKTRACK_API_KEY: KEY,
    LINKTRACK_REDIRECT_PORT: '0',
    LINKTRACK_API_PORT: '0',
    LINKTRACK_METRICS_PORT: '0',
    LINKTRACK_TRUST_PROXY: 'true',
  });
  stack = await startStack(config, new Set(SERVICES), createLogger('silent'));
});

afterAll(async () => {
  await stack?.stop();
});

/** The whole raw response, through a socket of our own: no client normalises what we send. */
function raw(base: string, head: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect(Number(port), hostname, () =>
      socket.write(`${head}\r\nConnection: close\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

const statusOf = (response: string) => Number(response.split(' ')[1]);

describe('api keys', () => {
  it.each([
    ['no header', {}],
    ['an empty bearer key', { authorization: 'Bearer ' }],
    ['blank space for a key', { authorization: 'Bearer      ' }],
    ['the bare scheme', { authorization: 'Bearer' }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}` }],
    ['the key without its scheme', { authorization: KEY }],
    ['the key with a suffix', { authorization: `Bearer ${KEY}x` }],
    ['a prefix of the key', { authorization: `Bearer ${KEY.slice(0, 16)}` }],
    ['a 6 KB key', { authorization: `Bearer ${'k'.repeat(6_000)}` }],
  ])('%s → 401 LT_API_UNAUTHORIZED', async (_name, headers) => {
    for (const [method, path, body] of [
      ['POST', '/v1/sql', { query: 'SELECT 1' }],
      ['POST', '/v1/links', { url: 'https://a.example/' }],
    ] as const) {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('LT_API_UNAUTHORIZED');
    }
  });

  it('the right key works', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT 1 AS ok' }),
    });
    expect(await res.json()).toEqual({ data: [{ ok: 1 }], rows: 1 });
  });
});

describe('odd paths and headers', () => {
  it('a 10 KB api path → 414 LT_API_PATH_TOO_LONG, without the path', async () => {
    const response = await raw(
      stack.apiUrl as string,
      `PATCH /v1/links/${'p'.repeat(10_000)} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}`,
    );
    expect(statusOf(response)).toBe(414);
    expect(response).toContain('"code":"LT_API_PATH_TOO_LONG"');
    expect(response).not.toContain('pppppppppp');
  });

  it('an unknown api route → 404 LT_API_NOT_FOUND, without the path', async () => {
    const res = await fetch(`${stack.apiUrl}/v2/${'q'.repeat(5_000)}`);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('LT_API_NOT_FOUND');
    expect(text).not.toContain('qqqqqqqqqq');
  });

  it('a 10 KB short-link path → 414, without the path', async () => {
    const response = await raw(stack.redirectUrl as string, `GET /${'s'.repeat(10_000)} HTTP/1.1\r\nHost: x`);
    expect(statusOf(response)).toBe(414);
    expect(response).not.toContain('ssssssssss');
    expect(response.length).toBeLessThan(1_000);
  });

  it('a malformed percent-encoding → 400, without the path', async () => {
    const response = await raw(stack.redirectUrl as string, 'GET /%E0%A4%A HTTP/1.1\r\nHost: x');
    expect([400, 404]).toContain(statusOf(response));
    expect(response).not.toContain('%E0%A4%A');
  });

  it('a 20 KB header → 431, and both servers keep serving', async () => {
    for (const base of [stack.redirectUrl, stack.apiUrl] as string[]) {
      const response = await raw(base, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}`);
      expect(statusOf(response)).toBe(431);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    }
  });

  it('a body of another type → 415, plain text or broken JSON → 400 LT_API_VALIDATION', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    const xml = await fetch(`${stack.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/xml' },
      body: '<query>SELECT 1</query>',
    });
    expect(xml.status).toBe(415);
    expect(((await xml.json()) as { error: { code: string } }).error.code).toBe('LT_API_VALIDATION');
    const text = await fetch(`${stack.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/plain' },
      body: 'SELECT 1',
    });
    expect(text.status).toBe(400);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('LT_API_VALIDATION');
    const broken = await fetch(`${stack.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('LT_API_VALIDATION');
  });

  it('a forged X-Forwarded-For that is not an address is not stored as one', async () => {
    const res = await fetch(`${stack.redirectUrl}/no-such-link`, {
      headers: { 'x-forwarded-for': "'; DROP TABLE linktrack.clicks; --" },
    });
    expect(res.status).toBe(404);
  });
});

describe('metrics', () => {
  it('are not served on the public redirect and api ports', async () => {
    const redirect = await fetch(`${stack.redirectUrl}/metrics`);
    expect(redirect.status).toBe(404);
    expect(await redirect.text()).not.toContain('linktrack_');
    const api = await fetch(`${stack.apiUrl}/metrics`);
    expect(api.status).toBe(404);
  });

  it('are served on the internal listener, the redirect thread included', async () => {
    expect(new URL(stack.opsUrl).hostname).toBe('127.0.0.1');
    for (let i = 0; i < 3; i++) await fetch(`${stack.redirectUrl}/metrics-probe-${i}`);
    const res = await fetch(`${stack.opsUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/linktrack_redirect_requests_total\{outcome="not_found"\} ([4-9]|\d{2,})/);
    expect(text).toContain('linktrack_bus_published_messages_total');
    expect((await fetch(`${stack.opsUrl}/readyz`)).status).toBe(200);
  });
});
