import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStack, SERVICES, startStack } from '@linktrack/cli';
import { loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait.js';

/**
 * Every probe of the security audit against /v1/sql, each with the exact
 * status and code it must get. Runs on the embedded engine, and on a
 * ClickHouse server too when LINKTRACK_TEST_CLICKHOUSE_URL names one.
 */
const KEY = 'probe-key-0123456789abcdef';
const TIME_LIMIT_S = 5;
const ENGINES = [
  { engine: 'embedded', url: null as string | null },
  ...(process.env.LINKTRACK_TEST_CLICKHOUSE_URL
    ? [{ engine: 'server', url: process.env.LINKTRACK_TEST_CLICKHOUSE_URL }]
    : []),
];

describe.each(ENGINES)('SQL probes on the $engine engine', ({ url }) => {
  let stack: RunningStack;
  let dataDir: string;
  let outDir: string;
  const responses: string[] = [];

  async function sql(query: string, params?: Record<string, unknown>) {
    const res = await fetch(`${stack.apiUrl}/v1/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(params ? { query, params } : { query }),
    });
    const text = await res.text();
    responses.push(text);
    return { status: res.status, body: JSON.parse(text) };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'lt-probes-'));
    outDir = mkdtempSync(join(tmpdir(), 'lt-probes-out-'));
    const config = loadConfig({
      LINKTRACK_DATA_DIR: dataDir,
      LINKTRACK_REDIRECT_PORT: '0',
      LINKTRACK_API_PORT: '0',
      LINKTRACK_METRICS_PORT: '0',
      LINKTRACK_TRUST_PROXY: 'true',
      LINKTRACK_SQL_MAX_EXECUTION_SECONDS: String(TIME_LIMIT_S),
      LINKTRACK_SQL_MAX_MEMORY_BYTES: '300000000',
      ...(url ? { LINKTRACK_CLICKHOUSE_URL: url } : {}),
    });
    // The owner's key, kept in the data dir as if generated: the probes aim at that file.
    writeFileSync(join(dataDir, 'api-key'), `${KEY}\n`, { mode: 0o600 });
    stack = await startStack(config, new Set(SERVICES), createLogger('silent'));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('INTO OUTFILE in every form is refused and writes nothing', () => {
    const variants = (f: string) => [
      `SELECT 'x' INTO OUTFILE '${f}' TRUNCATE FORMAT RawBLOB`,
      `select 'x' into outfile '${f}' append`,
      `SELECT 1 INTO OUTFILE '${f}' FORMAT CSV`,
      `SeLeCt 1 InTo OuTfIlE '${f}'`,
      `SELECT 1 UNION ALL SELECT 2 INTO OUTFILE '${f}'`,
      `WITH 1 AS x SELECT x INTO OUTFILE '${f}' COMPRESSION 'gzip'`,
      `SELECT 1 -- INTO OUTFILE is only a comment here\n INTO OUTFILE '${f}'`,
      `/* SELECT 1 */ SELECT 'x' /* ; */ INTO /* */ OUTFILE '${f}'`,
      `EXPLAIN SELECT 1 INTO OUTFILE '${f}'`,
      `SHOW TABLES INTO OUTFILE '${f}'`,
      `DESCRIBE TABLE linktrack.clicks INTO OUTFILE '${f}'`,
    ];
    it.each(variants('%FILE%').map((q, i) => [i, q]))('variant %i: %s', async (i, query) => {
      const file = join(outDir, `f${i}`);
      const { status, body } = await sql(String(query).replace('%FILE%', file));
      expect(status).toBe(403);
      expect(body.error.code).toBe('LT_SQL_FORBIDDEN');
      expect(existsSync(file)).toBe(false);
    });

    it('cannot replace the api key file', async () => {
      const keyFile = join(dataDir, 'api-key');
      const { status, body } = await sql(
        `SELECT 'attacker-key-0123456789' INTO OUTFILE '${keyFile}' TRUNCATE FORMAT RawBLOB`,
      );
      expect([status, body.error.code]).toEqual([403, 'LT_SQL_FORBIDDEN']);
      expect(readFileSync(keyFile, 'utf8')).toBe(`${KEY}\n`);
    });
  });

  describe('one statement only', () => {
    it.each([
      ['SELECT 1; SELECT 2'],
      [`SELECT 1; SELECT 'x' INTO OUTFILE '${join(tmpdir(), 'lt-never')}'`],
      ['SELECT 1 /* ; */; KILL QUERY WHERE 1'],
      ["SELECT ';'; SELECT 2"],
    ])('%s → 403 LT_SQL_MULTI_STATEMENT', async (query) => {
      const { status, body } = await sql(query);
      expect([status, body.error.code]).toEqual([403, 'LT_SQL_MULTI_STATEMENT']);
    });

    it('accepts a trailing semicolon and a string holding one', async () => {
      expect((await sql('SELECT 1 AS one;')).body).toEqual({ data: [{ one: 1 }], rows: 1 });
      expect((await sql("SELECT 'a; b' AS s")).body.data).toEqual([{ s: 'a; b' }]);
    });
  });

  describe('statements that are not reads are refused before they run', () => {
    it.each([
      ['KILL QUERY WHERE 1'],
      ['KILL QUERY WHERE 1 SYNC'],
      ['SYSTEM SHUTDOWN'],
      ['SYSTEM FLUSH LOGS'],
      ['SYSTEM DROP DNS CACHE'],
      ['CREATE TABLE linktrack.probe (a UInt8) ENGINE = Memory'],
      ['DROP TABLE linktrack.clicks'],
      ['TRUNCATE TABLE linktrack.clicks'],
      ['ALTER TABLE linktrack.clicks DELETE WHERE 1'],
      ['DETACH TABLE linktrack.clicks'],
      ['RENAME TABLE linktrack.clicks TO linktrack.gone'],
      ["INSERT INTO linktrack.dead_letters (stage) VALUES ('x')"],
      ['OPTIMIZE TABLE linktrack.clicks FINAL'],
      ['SET readonly = 0'],
      ['USE system'],
      ["BACKUP TABLE linktrack.clicks TO Disk('default', 'b')"],
      ["EXPLAIN AST INSERT INTO linktrack.dead_letters (stage) VALUES ('x')"],
      ['EXISTS TABLE linktrack.clicks'],
    ])('%s → 403 LT_SQL_FORBIDDEN', async (query) => {
      const { status, body } = await sql(query);
      expect([status, body.error.code]).toEqual([403, 'LT_SQL_FORBIDDEN']);
    });
  });

  describe('the engine refuses what readonly=1 forbids', () => {
    it.each([
      ['SELECT 1 SETTINGS readonly = 0'],
      ['SELECT 1 SETTINGS max_execution_time = 0'],
      ["SELECT 1 SETTINGS max_result_rows = 0, result_overflow_mode = 'break'"],
      ["SELECT * FROM file('/etc/passwd', 'LineAsString')"],
      ["SELECT * FROM file('api-key', 'LineAsString')"],
      ["SELECT * FROM url('http://127.0.0.1:1/', 'LineAsString')"],
      ["SELECT * FROM s3('http://127.0.0.1:1/bucket/x.csv')"],
      ["SELECT * FROM remote('127.0.0.1:1', system.one)"],
      ["SELECT * FROM executable('ls', 'TSV', 'a String')"],
    ])('%s → 403 LT_SQL_READONLY', async (query) => {
      const { status, body } = await sql(query);
      expect([status, body.error.code]).toEqual([403, 'LT_SQL_READONLY']);
      expect(body.error.clickhouse_code).toBe('164');
    });
  });

  describe('limits', () => {
    it('a huge result is refused, naming the limit', async () => {
      const { status, body } = await sql('SELECT number FROM numbers(1e8)');
      expect([status, body.error.code]).toEqual([400, 'LT_SQL_LIMIT_RESULT']);
      expect(body.error.limit).toBe('max_result_rows=1000000, max_result_bytes=100000000');
    });

    it('a query over the memory limit is stopped', async () => {
      const { status, body } = await sql('SELECT groupArray(number) FROM numbers(1e9)');
      expect([status, body.error.code]).toEqual([400, 'LT_SQL_LIMIT_MEMORY']);
      expect(body.error.limit).toBe('max_memory_usage=300000000');
    });

    it('a long query is stopped at the time limit', async () => {
      const started = Date.now();
      const { status, body } = await sql('SELECT count() FROM numbers(1e13)');
      expect([status, body.error.code]).toEqual([400, 'LT_SQL_LIMIT_TIME']);
      expect(Date.now() - started).toBeLessThan(TIME_LIMIT_S * 1000 + 3_000);
    });

    it('FORMAT is refused with a message saying the endpoint chooses it', async () => {
      const { status, body } = await sql('SELECT 1 FORMAT JSON');
      expect([status, body.error.code]).toEqual([400, 'LT_SQL_FORMAT']);
      expect(body.error.message).toContain('the endpoint chooses the output format');
    });

    it('a syntax error is a 400 with the engine code', async () => {
      const { status, body } = await sql('SELEC 1');
      expect([status, body.error.code, body.error.clickhouse_code]).toEqual([400, 'LT_SQL_ERROR', '62']);
    });

    it('slow analysts do not hold up others for longer than the time limit', async () => {
      const slow = [sql('SELECT count() FROM numbers(1e13)'), sql('SELECT count() FROM numbers(1e13)')];
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      const quick = await sql('SELECT 42 AS answer');
      expect(quick.body.data).toEqual([{ answer: 42 }]);
      expect(Date.now() - started).toBeLessThan(TIME_LIMIT_S * 1000 + 3_000);
      for (const s of await Promise.all(slow)) expect(s.body.error.code).toBe('LT_SQL_LIMIT_TIME');
    });

    it('while analysts run slow queries, redirects stay fast and clicks still land', async () => {
      const created = await fetch(`${stack.apiUrl}/v1/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://a.example/busy', slug: 'during-slow-sql' }),
      });
      expect(created.status).toBe(201);
      let slowDone = false;
      const slow = Promise.all([
        sql('SELECT count() FROM numbers(1e13)'),
        sql('SELECT count() FROM numbers(1e13)'),
      ]).finally(() => {
        slowDone = true;
      });
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${stack.redirectUrl}/during-slow-sql`, { redirect: 'manual' });
        expect(res.status).toBe(302);
      }
      expect(Date.now() - started).toBeLessThan(2_000);
      // Counted on the sink's own connection: the analysts' sessions are both busy.
      const client = stack.store?.client;
      if (!client) throw new Error('the stack has no store');
      await waitFor(
        async () => {
          const rows = await client.query({
            query: "SELECT count() AS n FROM linktrack.clicks WHERE slug = 'during-slow-sql'",
            format: 'JSONEachRow',
          });
          return Number(((await rows.json()) as { n: string }[])[0]?.n);
        },
        (n) => n === 20,
        10_000,
      );
      expect(slowDone).toBe(false);
      await slow;
    });
  });

  it('a client that goes away has its query cancelled', async () => {
    const marker = `probe_${Date.now()}`;
    const running = `SELECT count() FROM system.processes WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.processes%'`;
    const body = JSON.stringify({ query: `SELECT count() AS ${marker} FROM numbers(1e13)` });
    const api = new URL(stack.apiUrl as string);
    const req = request({
      host: api.hostname,
      port: api.port,
      path: '/v1/sql',
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    });
    req.on('error', () => {});
    req.end(body);
    await waitFor(
      async () => Number((await sql(running)).body.data[0]['count()']),
      (n) => n === 1,
      TIME_LIMIT_S * 1000,
    );
    req.destroy();
    const gone = Date.now();
    await waitFor(
      async () => Number((await sql(running)).body.data[0]['count()']),
      (n) => n === 0,
      TIME_LIMIT_S * 1000,
    );
    // Well before the time limit would have stopped it.
    expect(Date.now() - gone).toBeLessThan(TIME_LIMIT_S * 1000 - 500);
  });

  it('no answer leaks a file-system path', () => {
    expect(responses.length).toBeGreaterThan(40);
    for (const text of responses) {
      expect(text).not.toContain(dataDir);
      expect(text).not.toMatch(/\/(var|usr|etc|root|home)\/\S+\.(bin|sql|so|cpp|h)/);
    }
  });

  it('after the probes, clicks still land and the store still accepts inserts', async () => {
    const created = await fetch(`${stack.apiUrl}/v1/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://a.example/after', slug: 'after-probes' }),
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${stack.redirectUrl}/after-probes`, { redirect: 'manual' });
      expect(res.status).toBe(302);
    }
    await waitFor(
      async () =>
        Number(
          (await sql("SELECT count() AS n FROM linktrack.clicks WHERE slug = 'after-probes'")).body.data[0].n,
        ),
      (n) => n === 20,
      10_000,
    );
    if (url === null) {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
  });
});
