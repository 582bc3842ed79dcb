import { readFileSync } from 'node:fs';
import { ENV_VARS } from '@linktrack/config';
import { STREAMS, tableColumns, topicTable } from '@linktrack/streams';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable linktrack reads', () => {
    const missing = ENV_VARS.filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(missing).toEqual([]);
  });

  it('documents every column of linktrack.clicks', () => {
    // The stream contract's columns: the Avro↔DDL test holds the table to the same list.
    const columns = tableColumns(STREAMS.clicksEnriched);
    expect(columns.length).toBeGreaterThan(20);
    const section = readme.slice(
      readme.indexOf('## ClickHouse tables'),
      readme.indexOf('## Running on Kafka'),
    );
    expect(columns.filter((c) => !section.includes(`\`${c}\``))).toEqual([]);
  });

  it('has the Kafka topic table the stream contracts render', () => {
    const start = readme.indexOf('| topic | key |');
    const documented = readme.slice(start, readme.indexOf('\n\n', start));
    expect(documented).toBe(topicTable());
  });

  it('has exactly two set-up commands, one to run and one to test, and CI runs the test one', () => {
    const setup = readme.slice(readme.indexOf('## Set up'), readme.indexOf('## Try it'));
    const commands = [...setup.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]);
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8');
    expect(ci.split('\n')).toContain(commands[1]);
  });
});
