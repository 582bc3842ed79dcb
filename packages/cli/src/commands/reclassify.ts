import { parseArgs } from 'node:util';
import type { LinktrackConfig } from '@linktrack/config';
import { createReclassifier } from '@linktrack/enricher';
import { openStore } from '@linktrack/store';
import type { Logger } from '@linktrack/telemetry';
import { CliError } from '../errors.js';
import { progressWriter } from '../reclassify/progress-bar.js';
import { reclassifyClicks } from '../reclassify/run-reclassify.js';
import { openEnrichContext } from '../runtime/resources.js';

export interface ReclassifyIo {
  print: (line: string) => void;
  /** Where the progress bar goes (stderr), and whether it is a terminal. */
  progress?: { write: (text: string) => void; tty: boolean };
}

/**
 * `linktrack reclassify --from <date> --to <date> [--dry-run]`: judges the
 * stored clicks of the period again with today's classifier and network lists,
 * and rewrites those whose verdict changed. Dates are ISO 8601 in UTC; a date
 * alone is its midnight, and --to is exclusive.
 */
export async function reclassifyCommand(
  config: LinktrackConfig,
  logger: Logger,
  args: string[],
  io: ReclassifyIo,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { from: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    strict: true,
  });
  const from = parseInstant('--from', values.from);
  const to = parseInstant('--to', values.to);
  if (to <= from) throw new CliError('LT_CLI_USAGE', '--to must be later than --from');
  const context = await openEnrichContext(config, logger);
  const store = await openStore({
    url: config.clickhouse.url,
    dataDir: config.dataDir,
    logger,
    analystLimits: config.sql,
  });
  const bar = io.progress ? progressWriter(io.progress.write, io.progress.tty) : null;
  try {
    const result = await reclassifyClicks({
      client: store.client,
      reclassifier: createReclassifier({
        classifier: context.classifier,
        userAgents: context.userAgents,
        asn: context.asn,
        burstOff: config.enricher.botSignalsOff.includes('burst'),
      }),
      from,
      to,
      dryRun: values['dry-run'] === true,
      progress: bar ? (done, total, changed) => bar.update(done, total, changed) : undefined,
    });
    bar?.end();
    const verb = values['dry-run'] ? 'would change' : 'changed';
    io.print(
      `reclassified ${result.read} clicks with classifier ${context.classifier.version}: ${verb} ${result.changed}`,
    );
    for (const [move, count] of Object.entries(result.moves).sort((a, b) => b[1] - a[1]))
      io.print(`  ${move}: ${count}`);
    return 0;
  } finally {
    await store.close();
  }
}

function parseInstant(flag: string, value: string | undefined): number {
  if (value === undefined)
    throw new CliError('LT_CLI_USAGE', `${flag} is required (an ISO 8601 date or time in UTC)`);
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? `${value}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value)
      ? value
      : `${value}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms))
    throw new CliError('LT_CLI_USAGE', `${flag}: "${value}" is not an ISO 8601 date or time`);
  return ms;
}
