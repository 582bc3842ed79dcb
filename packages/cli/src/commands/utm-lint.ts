import { readFileSync } from 'node:fs';
import type { LinktrackConfig } from '@linktrack/config';
import {
  DEFAULT_TAXONOMY,
  LinkError,
  loadTaxonomy,
  prepareDestination,
  type UtmProblem,
} from '@linktrack/links';
import { readLinkRows } from '../client/link-rows.js';
import { progressBar } from '../client/progress.js';
import { CliError } from '../errors.js';
import type { CommandIo } from './links.js';

/** What a lint fails on, whatever the taxonomy's mode: the naming rules and UTMs on your own domains. */
const VIOLATIONS = new Set(['missing_required', 'not_allowed', 'too_long', 'internal_link_utm']);

/**
 * `linktrack utm lint <file>`: checks every URL of a CSV of links (with a URL
 * column) or a plain list (one URL per line) against the taxonomy, as a
 * create would, and reports each problem with its line. Exit 1 on any
 * violation; normalizations are listed but pass.
 */
export async function utmLintCommand(
  config: LinktrackConfig,
  args: string[],
  io: CommandIo,
): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1)
    throw new CliError('LT_CLI_USAGE', 'usage: linktrack utm lint <file.csv | urls.txt>');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError('LT_CLI_INPUT', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  const taxonomy = config.links.taxonomyPath ? loadTaxonomy(config.links.taxonomyPath) : DEFAULT_TAXONOMY;
  const policy = {
    taxonomy,
    ownDomains: config.links.ownDomains,
    allowPrivate: config.links.allowPrivateDestinations,
  };
  const entries = urlsOf(text, file);
  const bar = progressBar(`linting ${file}`, entries.length, io.progress, io.tty);
  let violations = 0;
  let notes = 0;
  entries.forEach(({ line, url, utm }, i) => {
    let problems: UtmProblem[] = [];
    try {
      problems = prepareDestination(url, utm, policy).problems;
    } catch (err) {
      if (!(err instanceof LinkError)) throw err;
      problems =
        err.problems.length > 0
          ? (err.problems as UtmProblem[])
          : [
              {
                code: 'not_allowed',
                param: err.field,
                message: `${err.message} [${err.code}]`,
                severity: 'error',
              } as UtmProblem,
            ];
    }
    for (const p of problems) {
      const bad = VIOLATIONS.has(p.code) || p.severity === 'error';
      if (bad) violations += 1;
      else notes += 1;
      io.print(`${file}:${line}: ${bad ? 'violation' : 'note'} ${p.code} ${p.param}: ${p.message}`);
    }
    bar.update(i + 1);
  });
  bar.done(`${entries.length} URLs, ${violations} violations, ${notes} notes (taxonomy: ${taxonomy.source})`);
  return violations > 0 ? 1 : 0;
}

function urlsOf(text: string, file: string) {
  const firstLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  if (/^\s*https?:/i.test(firstLine)) {
    // A plain list: one URL per line; blank lines and # comments are skipped.
    return text
      .split(/\r?\n/)
      .map((url, i) => ({ line: i + 1, url: url.trim(), utm: undefined }))
      .filter((e) => e.url !== '' && !e.url.startsWith('#'));
  }
  try {
    return readLinkRows(text).rows.map((r) => ({ line: r.line, url: r.link?.url ?? '', utm: r.link?.utm }));
  } catch (err) {
    throw new CliError('LT_CLI_INPUT', `${file}: ${(err as Error).message}`);
  }
}
