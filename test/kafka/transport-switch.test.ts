import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { kafkaIt } from '../support/kafka.js';
import { API_KEY, pipelineEnv } from '../support/pipeline.js';
import { type LinktrackProcess, startLinktrack } from '../support/processes.js';

/**
 * The README's path from the embedded default to Kafka and back, on one data
 * dir: every link keeps working, changes made on one transport are there on
 * the other, and a taken slug stays taken.
 */
let running: LinktrackProcess | null = null;
afterEach(async () => {
  await running?.stop();
  running = null;
});

async function call(apiUrl: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${API_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const status = async (redirectUrl: string, slug: string) =>
  (await fetch(`${redirectUrl}/${slug}`, { redirect: 'manual' })).status;

describe('links across a change of transport', () => {
  kafkaIt('embedded → Kafka → embedded keeps every link and every change', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lt-switch-'));
    const kafkaEnv = pipelineEnv('switch');
    const embeddedEnv = { LINKTRACK_API_KEY: API_KEY };

    // 1. Embedded: two links, one of them disabled.
    running = await startLinktrack('embedded-1', {
      services: 'redirect,enricher,sink,api',
      env: embeddedEnv,
      dataDir,
    });
    for (const slug of ['keep', 'paused'])
      expect(
        (
          await call(running.apiUrl as string, 'POST', '/v1/links', {
            url: `https://e.example/${slug}`,
            slug,
          })
        ).status,
      ).toBe(201);
    expect((await call(running.apiUrl as string, 'DELETE', '/v1/links/paused')).status).toBe(200);
    await running.stop();

    // 2. Kafka, same data dir: the links come back from the ClickHouse mirror.
    running = await startLinktrack('kafka', {
      services: 'redirect,enricher,sink,api',
      env: kafkaEnv,
      dataDir,
    });
    const onKafka = running;
    expect(onKafka.output()).toContain('links_restored_from_mirror');
    expect(await status(onKafka.redirectUrl as string, 'keep')).toBe(302);
    expect(await status(onKafka.redirectUrl as string, 'paused')).toBe(410);
    const taken = await call(onKafka.apiUrl as string, 'POST', '/v1/links', {
      url: 'https://x.example/',
      slug: 'keep',
    });
    expect([taken.status, (taken.body.error as { code: string }).code]).toEqual([409, 'LT_API_SLUG_TAKEN']);
    expect(
      (await call(onKafka.apiUrl as string, 'PATCH', '/v1/links/paused', { status: 'active' })).status,
    ).toBe(200);
    expect(
      (
        await call(onKafka.apiUrl as string, 'POST', '/v1/links', {
          url: 'https://k.example/new',
          slug: 'made-on-kafka',
        })
      ).status,
    ).toBe(201);
    // The sink mirrors what changed on Kafka before the process stops.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await call(onKafka.apiUrl as string, 'POST', '/v1/sql', {
        query:
          "SELECT count() AS n FROM linktrack.links FINAL WHERE (slug = 'paused' AND status = 'active') OR slug = 'made-on-kafka'",
      });
      if (Number((res.body.data as { n: string }[])[0]?.n) === 2) break;
      if (Date.now() > deadline) throw new Error('the links table did not catch up');
      await new Promise((r) => setTimeout(r, 200));
    }
    await onKafka.stop();

    // 3. Embedded again: its own link log is older than the mirror; the newer states win.
    running = await startLinktrack('embedded-2', {
      services: 'redirect,enricher,sink,api',
      env: embeddedEnv,
      dataDir,
    });
    expect(await status(running.redirectUrl as string, 'keep')).toBe(302);
    expect(await status(running.redirectUrl as string, 'paused')).toBe(302);
    expect(await status(running.redirectUrl as string, 'made-on-kafka')).toBe(302);
    const again = await call(running.apiUrl as string, 'POST', '/v1/links', {
      url: 'https://x.example/',
      slug: 'made-on-kafka',
    });
    expect(again.status).toBe(409);
  });
});
