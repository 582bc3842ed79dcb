import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { LinkIndex } from '@linktrack/links';
import { buildRedirectApp } from '@linktrack/redirect';
import type { ClickConfirmation } from '@linktrack/streams';
import { createLogger, createMetrics } from '@linktrack/telemetry';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { browserIt, CHROMIUM, chromiumLaunch } from '../support/chromium.js';
import { waitFor } from '../support/wait.js';

/**
 * The first-party script in a real headless Chromium: a landing page on one
 * origin loads /t.js from the redirect host on another, and the browser's own
 * sendBeacon (CORS, text/plain) reaches the collect endpoint.
 */
const CLICK = '01936f6e-8c1a-7b2e-9f00-0000000000aa';
const NEXT = '01936f6e-8c1a-7b2e-9f00-0000000000bb';
let redirect: FastifyInstance;
let redirectUrl: string;
let site: Server;
let siteUrl: string;
let browser: BrowserContext | null = null;
const confirmed: ClickConfirmation[] = [];
/** The embedded stack of the conversion test; pages under /stack/ load its script. */
let stack: RunningStack | null = null;
const PUBLISHABLE_KEY = 'pk_browser_test_0123456789';

beforeAll(async () => {
  site = createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    const script =
      request.url?.startsWith('/stack/') && stack
        ? `<script src="${stackRedirectHost()}/t.js" data-key="${PUBLISHABLE_KEY}"></script>`
        : `<script async src="${redirectUrl}/t.js"></script>`;
    response.end(
      `<!doctype html><html><head><title>landing</title>${script}</head><body>${request.url}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const links = new LinkIndex();
  links.markLoaded();
  redirect = buildRedirectApp({
    status: 302,
    trustProxy: false,
    links,
    clicks: { push: () => {} },
    logger: createLogger('silent'),
    metrics: createMetrics(),
    readiness: () => ({ ready: true }),
    clickIdParam: 'lt_cid',
    qrParam: 'lt_qr',
    collect: {
      allowedOrigins: [siteUrl],
      sinks: { confirm: (c) => void confirmed.push(c), convert: () => {} },
    },
  });
  // localhost, not 127.0.0.1: another site than the landing page, as a short-link host is.
  await redirect.listen({ host: '127.0.0.1', port: 0 });
  redirectUrl = `http://localhost:${(redirect.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await redirect?.close();
  await new Promise((resolve) => site?.close(resolve));
});

describe('the first-party script in Chromium', () => {
  browserIt(
    'confirms the click of a landing page opened with lt_cid, and keeps that id and its touches',
    async () => {
      const { userDataDir, args } = chromiumLaunch();
      browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args,
        headless: true,
      });
      const page = await browser.newPage();
      await page.goto(`${siteUrl}/spring?utm_source=newsletter&lt_cid=${CLICK}`, { waitUntil: 'load' });
      const got = await waitFor(
        async () => confirmed.slice(),
        (c) => c.length > 0,
        15_000,
      );
      expect(got).toEqual([{ click_id: CLICK, ts: expect.any(Number), source: 'beacon' }]);
      expect(await page.evaluate('Object.keys(localStorage).sort()')).toEqual(['lt_cid', 'lt_touches']);
      expect(await page.evaluate("localStorage.getItem('lt_cid')")).toBe(CLICK);

      // A later page of the visit, without the parameter, confirms nothing; the next click's landing does.
      await page.goto(`${siteUrl}/cart`, { waitUntil: 'load' });
      await page.goto(`${siteUrl}/summer?lt_cid=${NEXT}`, { waitUntil: 'load' });
      const both = await waitFor(
        async () => confirmed.slice(),
        (c) => c.length >= 2,
        15_000,
      );
      expect(both.map((c) => c.click_id)).toEqual([CLICK, NEXT]);
    },
    60_000,
  );
});

/** The stack's redirect as `localhost`: another site than the landing page, as a short-link host is. */
function stackRedirectHost(): string {
  return String(stack?.redirectUrl ?? '').replace('127.0.0.1', 'localhost');
}

describe('browser conversions in Chromium, through the embedded stack', () => {
  const API_KEY = 'browser-conversions-key-0123';
  const auth = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
  const sql = async <T>(query: string): Promise<T[]> => {
    const res = await fetch(`${stack?.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query }),
    });
    if (res.status !== 200) throw new Error(`sql ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { data: T[] }).data;
  };

  beforeAll(async () => {
    const config = loadConfig({
      LINKTRACK_DATA_DIR: mkdtempSync(join(tmpdir(), 'lt-browser-conversions-')),
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_API_KEY: API_KEY,
      LINKTRACK_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      LINKTRACK_ALLOWED_ORIGINS: siteUrl,
      // The landing pages are on this machine.
      LINKTRACK_ALLOW_PRIVATE_DESTINATIONS: 'true',
      LINKTRACK_LOG_LEVEL: 'warn',
    });
    stack = await startStack(config, new Set(SERVICES), createLogger('warn'));
  });

  browserIt(
    'lands from a short link, then linktrack.convert stores a browser conversion crediting that click',
    async () => {
      const created = await fetch(`${stack?.apiUrl}/v1/links`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ url: `${siteUrl}/stack/landing`, slug: 'shoes' }),
      });
      expect(created.status).toBe(201);
      // The first test's landings (same site, same profile) are earlier touches of this browser.
      const earlier = browser ? [CLICK, NEXT] : [];
      if (!browser) {
        const { userDataDir, args } = chromiumLaunch();
        browser = await chromium.launchPersistentContext(userDataDir, {
          executablePath: CHROMIUM,
          args,
          headless: true,
        });
      }
      const page = await browser.newPage();
      // The short link, followed by the browser: the redirect adds lt_cid to the landing URL.
      await page.goto(`${stackRedirectHost()}/shoes`, { waitUntil: 'load' });
      const landed = new URL(page.url());
      expect(landed.pathname).toBe('/stack/landing');
      const clickId = landed.searchParams.get('lt_cid') as string;
      expect(clickId).toMatch(/^[0-9a-f-]{36}$/);

      // A later page of the visit converts.
      await page.goto(`${siteUrl}/stack/checkout`, { waitUntil: 'load' });
      await page.evaluate(
        "window.linktrack.convert('purchase', { value: '19.99', currency: 'EUR', id: 'browser-order-1' })",
      );
      const rows = await waitFor(
        () =>
          sql<{
            click_id: string;
            touches: string[];
            event: string;
            value: string;
            currency: string;
            source: string;
            trust: number;
          }>(
            "SELECT toString(click_id) AS click_id, arrayMap(t -> toString(t), touches) AS touches, event, toDecimalString(value, 4) AS value, currency, source, trust FROM linktrack.conversions FINAL WHERE conversion_id = 'browser-order-1'",
          ),
        (r) => r.length > 0,
        15_000,
      );
      expect(rows).toEqual([
        {
          click_id: clickId,
          touches: [...earlier, clickId],
          event: 'purchase',
          value: '19.9900',
          currency: 'EUR',
          source: 'browser',
          trust: 1,
        },
      ]);
      // The click it credits is a real one, recorded by the redirect.
      const clicks = await waitFor(
        () => sql<{ n: string }>(`SELECT count() AS n FROM linktrack.clicks WHERE click_id = '${clickId}'`),
        (r) => r[0]?.n === '1',
        15_000,
      );
      expect(clicks).toEqual([{ n: '1' }]);
    },
    90_000,
  );
});
