import { readFileSync } from 'node:fs';
import { ENV_VARS } from '@linktrack/config';
import { MIGRATIONS_DIR, readMigrations } from '@linktrack/store';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable linktrack reads', () => {
    const missing = ENV_VARS.filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  it('documents every column of linktrack.clicks', () => {
    const create = readMigrations(MIGRATIONS_DIR)
      .flatMap((m) => m.statements)
      .find((s) => s.includes('linktrack.clicks'));
    const columns = [...(create ?? '').matchAll(/^\s{4}(\w+)\s+\w/gm)].map((m) => m[1] as string);
    expect(columns.length).toBeGreaterThan(20);
    const section = readme.slice(readme.indexOf('## ClickHouse tables'));
    expect(columns.filter((c) => !section.includes(`\`${c}\``))).toEqual([]);
  });

  it('has exactly two set-up commands, one to run and one to test, and CI runs the test one', () => {
    const setup = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## Try it'));
    const commands = [...setup.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(ci.split('\n')).toContain(commands[1]);
  });
});
