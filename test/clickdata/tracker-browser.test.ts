import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

beforeAll(async () => {
  site = createServer((request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><html><head><title>landing</title><script async src="${redirectUrl}/t.js"></script></head><body>${request.url}</body></html>`,
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
