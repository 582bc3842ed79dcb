import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LinktrackConfig } from '@linktrack/config';
import { apiClient } from '../client/api-client.js';
import { type LinkInput, readLinkRows } from '../client/link-rows.js';
import { progressBar } from '../client/progress.js';
import { CliError } from '../errors.js';

export interface CommandIo {
  print: (line: string) => void;
  printError: (line: string) => void;
  /** Progress goes here (stderr), so stdout stays clean for scripts. */
  progress: (text: string) => void;
  tty: boolean;
}

interface ApiError {
  error: { code: string; message: string; problems?: { code: string; message: string }[] };
}
interface Created {
  short_url: string;
  destination: string;
  warnings: { code: string; param: string; message: string }[];
}
interface BulkAnswer {
  created: number;
  failed: number;
  results: { index: number; ok: boolean; link?: Created; error?: { code: string; message: string } }[];
}

const USAGE = `usage: linktrack links create --url <url> [--slug s] [--utm-source v] [--utm-medium v] [--utm-campaign v]
                             [--utm-term v] [--utm-content v] [--tag t]... [--expires-at iso] [--max-human-clicks n]
                             [--redirect-status 301|302|307|308] [--no-forward-query] [--no-track-conversions]
       linktrack links import <file.csv> [--batch n]`;

/** `linktrack links create|import`: the api's link routes from a terminal or a script. */
export async function linksCommand(config: LinktrackConfig, args: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'create') return create(config, rest, io);
  if (sub === 'import') return importCsv(config, rest, io);
  throw new CliError('LT_CLI_USAGE', `links: unknown subcommand "${sub ?? ''}"\n${USAGE}`);
}

async function create(config: LinktrackConfig, args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      url: { type: 'string' },
      slug: { type: 'string' },
      'utm-source': { type: 'string' },
      'utm-medium': { type: 'string' },
      'utm-campaign': { type: 'string' },
      'utm-term': { type: 'string' },
      'utm-content': { type: 'string' },
      tag: { type: 'string', multiple: true },
      'expires-at': { type: 'string' },
      'max-human-clicks': { type: 'string' },
      'redirect-status': { type: 'string' },
      'no-forward-query': { type: 'boolean' },
      'no-track-conversions': { type: 'boolean' },
    },
  });
  if (!values.url) throw new CliError('LT_CLI_USAGE', `links create: --url is required\n${USAGE}`);
  const utm: Record<string, string> = {};
  for (const key of ['source', 'medium', 'campaign', 'term', 'content'] as const) {
    const value = values[`utm-${key}`];
    if (value !== undefined) utm[key] = value;
  }
  const body = {
    url: values.url,
    ...(values.slug ? { slug: values.slug } : {}),
    ...(Object.keys(utm).length > 0 ? { utm } : {}),
    ...(values.tag ? { tags: values.tag } : {}),
    ...(values['expires-at'] ? { expires_at: values['expires-at'] } : {}),
    ...(values['max-human-clicks']
      ? { max_human_clicks: integer(values['max-human-clicks'], '--max-human-clicks') }
      : {}),
    ...(values['redirect-status']
      ? { redirect_status: integer(values['redirect-status'], '--redirect-status') }
      : {}),
    ...(values['no-forward-query'] ? { forward_query: false } : {}),
    ...(values['no-track-conversions'] ? { track_conversions: false } : {}),
  };
  const res = await apiClient(config).call<Created & ApiError>('POST', '/v1/links', body);
  if (res.status !== 201) {
    io.printError(`linktrack: ${res.body.error.message} [${res.body.error.code}]`);
    for (const p of res.body.error.problems ?? []) io.printError(`  ${p.code}: ${p.message}`);
    return 1;
  }
  io.print(res.body.short_url);
  io.print(`  → ${res.body.destination}`);
  for (const w of res.body.warnings) io.print(`  warning ${w.code}: ${w.message}`);
  return 0;
}

/**
 * Imports a CSV in batches through the bulk route. Every row is reported on
 * its own: a bad row never stops the others. Exit 1 when any row failed.
 */
async function importCsv(config: LinktrackConfig, args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: { batch: { type: 'string', default: '1000' } },
  });
  const file = positionals[0];
  if (!file) throw new CliError('LT_CLI_USAGE', `links import: name a CSV file\n${USAGE}`);
  const batch = integer(values.batch ?? '1000', '--batch');
  if (batch < 1 || batch > 1_000) throw new CliError('LT_CLI_USAGE', '--batch: must be from 1 to 1000');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('LT_CLI_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  let read: ReturnType<typeof readLinkRows>;
  try {
    read = readLinkRows(text);
  } catch (err) {
    throw new CliError('LT_CLI_INPUT', `${file}: ${(err as Error).message}`);
  }
  const client = apiClient(config);
  const failures: string[] = [];
  for (const r of read.rows) if (r.error) failures.push(`${file}:${r.line}: ${r.error}`);
  const good = read.rows.filter((r): r is { line: number; link: LinkInput } => r.link !== undefined);
  const bar = progressBar(`importing ${file}`, read.rows.length, io.progress, io.tty);
  let created = 0;
  for (let at = 0; at < good.length; at += batch) {
    const chunk = good.slice(at, at + batch);
    const res = await client.call<BulkAnswer & ApiError>('POST', '/v1/links/bulk', {
      links: chunk.map((r) => r.link),
    });
    if (res.status !== 200) {
      throw new CliError(
        'LT_CLI_INPUT',
        `the api refused a batch: ${res.body.error.message} [${res.body.error.code}]`,
      );
    }
    created += res.body.created;
    for (const result of res.body.results) {
      if (!result.ok)
        failures.push(
          `${file}:${chunk[result.index]?.line}: ${result.error?.message} [${result.error?.code}]`,
        );
    }
    bar.update(
      Math.min(read.rows.length, at + chunk.length + (read.rows.length - good.length)),
      `created ${created}`,
    );
  }
  bar.done(`${created.toLocaleString('en')} created, ${failures.length.toLocaleString('en')} failed`);
  for (const f of failures) io.printError(f);
  return failures.length > 0 ? 1 : 0;
}

function integer(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n)) throw new CliError('LT_CLI_USAGE', `${flag}: "${text}" is not a whole number`);
  return n;
}
