import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsStore, openAnalyticsStore } from '../support/analytics-store.js';

/**
 * Every ```sql block of docs/analysts.md, run the way POST /v1/sql runs it
 * (the store's analyst SQL: checked, read-only, final = 1 by default) on the
 * real engine with every migration applied and the shared analytics dataset
 * seeded: no error, and at least one row each.
 */
const doc = readFileSync(new URL('../../docs/analysts.md', import.meta.url), 'utf8');

/** The sql blocks, each named by the heading above it. */
function sqlBlocks(markdown: string): { heading: string; sql: string }[] {
  const blocks: { heading: string; sql: string }[] = [];
  let heading = '(no heading)';
  let sql: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (sql) {
      if (line.trim() === '```') {
        blocks.push({ heading, sql: sql.join('\n') });
        sql = null;
      } else sql.push(line);
    } else if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    else if (line.trim() === '```sql') sql = [];
  }
  if (sql) throw new Error(`unclosed sql block under "${heading}"`);
  return blocks;
}

const blocks = sqlBlocks(doc);

describe('docs/analysts.md', () => {
  let analytics: AnalyticsStore;
  beforeAll(async () => {
    analytics = await openAnalyticsStore('lt-analysts-');
  });
  afterAll(async () => analytics?.store.close());

  it('has at least 12 example queries, each under its own question', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    expect(new Set(blocks.map((b) => b.heading)).size).toBe(blocks.length);
  });

  it.each(blocks)('$heading', async ({ sql }) => {
    const { rows } = await analytics.store.analyst.run({ query: sql });
    expect(rows.length).toBeGreaterThan(0);
  });

  it('documents the tables and views analysts query', () => {
    for (const name of [
      'clicks',
      'human_clicks',
      'confirmed_clicks',
      'click_confirmations',
      'conversions',
      'attributed_conversions',
      'attribution(model, window_days)',
      'conversion_outcomes(window_days)',
      'journey_events(window_days)',
      'hourly_rollup',
      'links',
    ])
      expect(doc).toContain(`| \`${name}\` |`);
  });

  it("the README's Dashboards example runs as sent", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Dashboards'), readme.indexOf('## Benchmark'));
    const body = /-d '(\{.*\})'/.exec(section)?.[1];
    expect(body).toBeDefined();
    const { query, params } = JSON.parse(body as string);
    const { rows } = await analytics.store.analyst.run({ query, params });
    expect(rows.length).toBeGreaterThan(0);
  });

  it('turning FINAL off per request is what the api accepts', async () => {
    expect(doc).toContain('"final": false');
    const { rows } = await analytics.store.analyst.run({
      query: 'SELECT count() AS n FROM linktrack.clicks',
      final: false,
    });
    expect(rows).toHaveLength(1);
  });
});
