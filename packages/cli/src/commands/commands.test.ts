import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ApiUnderTest, apiUnderTest, TEST_API_KEY } from '@linktrack/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

const EXAMPLE = join(import.meta.dirname, '../../../../infra/taxonomy.example.json');
const dir = mkdtempSync(join(tmpdir(), 'lt-cli-'));

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    { LINKTRACK_DATA_DIR: dir, ...env },
    {
      print: (l) => out.push(l),
      printError: (l) => err.push(l),
      progress: () => {},
      tty: false,
      shutdown: new Promise(() => {}),
    },
  );
  return { code, out, err };
}

describe('linktrack utm lint', () => {
  it('exits 1 with a report when URLs in a CSV violate the taxonomy', async () => {
    const file = join(dir, 'links.csv');
    writeFileSync(
      file,
      [
        'url,utm_source,utm_medium,utm_campaign',
        'https://a.example/,FB,email,spring_sale',
        'https://a.example/,tiktok,email,spring_sale',
        'https://a.example/?utm_source=google&utm_medium=cpc,,,Spring Sale!',
      ].join('\n'),
    );
    const { code, out } = await run(['utm', 'lint', file], { LINKTRACK_TAXONOMY: EXAMPLE });
    expect(code).toBe(1);
    expect(out).toEqual([
      `${file}:2: note normalized_case utm_source: "FB" became "fb"`,
      `${file}:2: note alias_applied utm_source: "fb" is an alias of "facebook"`,
      `${file}:3: violation not_allowed utm_source: "tiktok" is not one of google, facebook, instagram, linkedin, newsletter, partner, qr`,
      `${file}:4: note normalized_whitespace utm_campaign: "Spring Sale!" became "Spring_Sale!"`,
      `${file}:4: note normalized_case utm_campaign: "Spring_Sale!" became "spring_sale!"`,
      `${file}:4: violation not_allowed utm_campaign: "spring_sale!" does not match ^[a-z0-9]+(?:[_-][a-z0-9]+)*$`,
    ]);
  });

  it('exits 0 for a clean URL list, and flags UTMs on your own domains', async () => {
    const file = join(dir, 'urls.txt');
    writeFileSync(
      file,
      '# campaign links\nhttps://a.example/?utm_source=google&utm_medium=cpc&utm_campaign=q2\n\n',
    );
    expect((await run(['utm', 'lint', file], { LINKTRACK_TAXONOMY: EXAMPLE })).code).toBe(0);
    const own = await run(['utm', 'lint', file], { LINKTRACK_OWN_DOMAINS: 'a.example' });
    expect(own.code).toBe(1);
    expect(own.out[0]).toMatch(/:2: violation internal_link_utm url: a\.example is one of your own domains/);
  });
});

describe('linktrack check', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/go')) res.writeHead(301, { location: '/there' }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('prints the chain and what was lost, and exits 1', async () => {
    const { code, out } = await run(['check', `${base}/go?utm_source=x`], {
      LINKTRACK_CHECK_ALLOW_PRIVATE: 'true',
    });
    expect(code).toBe(1);
    expect(out).toEqual([
      `1. 301 ${base}/go?utm_source=x`,
      `2. 200 ${base}/there`,
      `final: ${base}/there`,
      'lost: utm_source',
      'not ok',
    ]);
  });

  it('refuses loopback targets by default', async () => {
    const { code, out } = await run(['check', `${base}/go?utm_source=x`]);
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('[LT_CHECK_REFUSED_ADDRESS]');
  });
});

describe('linktrack links create', () => {
  let api: ApiUnderTest;
  let url = '';
  beforeAll(async () => {
    api = await apiUnderTest();
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => api?.close());

  it('creates a link through the running api and prints it', async () => {
    const { code, out } = await run(
      [
        'links',
        'create',
        '--url',
        'https://a.example/p',
        '--slug',
        'cli',
        '--utm-source',
        'News',
        '--tag',
        'x',
        '--tag',
        'y',
      ],
      { LINKTRACK_API_URL: url, LINKTRACK_API_KEY: TEST_API_KEY },
    );
    expect(code).toBe(0);
    expect(out).toEqual([
      'https://sho.rt/cli',
      '  → https://a.example/p?utm_source=news',
      '  warning normalized_case: "News" became "news"',
      '  warning missing_required: utm_medium is required',
      '  warning missing_required: utm_campaign is required',
    ]);
    expect(api.index.get('cli')?.tags).toEqual(['x', 'y']);
  });

  it('says clearly when the api is not there, or the flags are wrong', async () => {
    const down = await run(['links', 'create', '--url', 'https://a.example/'], {
      LINKTRACK_API_URL: 'http://127.0.0.1:1',
      LINKTRACK_API_KEY: TEST_API_KEY,
    });
    expect(down.code).toBe(1);
    expect(down.err[0]).toMatch(
      /^linktrack: the api at http:\/\/127\.0\.0\.1:1 does not answer .* \[LT_CLI_API_UNREACHABLE\]$/,
    );
    const usage = await run(['links', 'create'], { LINKTRACK_API_KEY: TEST_API_KEY });
    expect(usage.err[0]).toMatch(/^linktrack: links create: --url is required/);
  });
});

describe('a bad taxonomy file', () => {
  it('stops the start, naming the file, the path within it and the reason', async () => {
    const file = join(dir, 'bad-taxonomy.json');
    writeFileSync(file, JSON.stringify({ mode: 'strict', parameters: { source: { case: 'upper' } } }));
    const { code, err } = await run(['start'], {
      LINKTRACK_TAXONOMY: file,
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_LOG_LEVEL: 'silent',
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      `linktrack: ${file}: parameters.source.case: must be "lower" or "preserve", got "upper" [LT_LINK_BAD_TAXONOMY]`,
    ]);
  });
});
