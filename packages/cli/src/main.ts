import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { checkCommand } from './commands/check.js';
import { kafkaLocalCommand } from './commands/kafka-local.js';
import { type CommandIo, linksCommand } from './commands/links.js';
import { migrateCommand } from './commands/migrate.js';
import { reclassifyCommand } from './commands/reclassify.js';
import { startCommand } from './commands/start.js';
import { utmLintCommand } from './commands/utm-lint.js';
import { CliError } from './errors.js';

const HELP = `usage: linktrack <command> [options]

commands:
  start [--services redirect,enricher,sink,api]   run linktrack (all four services by default)
  migrate                                         apply ClickHouse migrations and exit
  reclassify --from <date> --to <date> [--dry-run]
                                                  judge stored clicks again with today's bot classifier
  kafka-local [--dir <path>] [--port <n>]         run a single-node Kafka broker for development
                                                  (data in <data dir>/kafka unless --dir)
  links create --url <url> [--slug s] [--utm-source v] ...   create a link through the running api
  links import <file.csv> [--batch n]             import links (linktrack, Bitly or Shlink CSV)
  utm lint <file>                                 check the UTMs of a CSV of links or a URL list
  check <url>                                     follow a URL and report lost or changed UTMs
  help                                            show this text

Configuration comes from LINKTRACK_* environment variables; see README.md.`;

export interface MainIo {
  print: (line: string) => void;
  printError: (line: string) => void;
  /** Resolves with the signal name when the process is asked to stop. */
  shutdown: Promise<string>;
  /** Where progress of long runs goes (stderr), and whether it is a terminal. */
  progress?: (text: string) => void;
  tty?: boolean;
}

/** Runs one command and returns the exit code; every expected failure is one clear line, exit 1. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: MainIo,
): Promise<number> {
  const [command = 'help', ...rest] = argv;
  try {
    if (command === 'help' || command === '--help' || command === '-h') {
      io.print(HELP);
      return 0;
    }
    if (command === 'kafka-local') {
      const { values } = parseArgs({
        args: rest,
        options: { dir: { type: 'string' }, port: { type: 'string' } },
        strict: true,
      });
      // Its data stays in the data dir, so links and clicks survive a restart of the broker.
      const dir = values.dir ?? join(loadConfig(env).dataDir, 'kafka');
      return await kafkaLocalCommand({ ...values, dir, shutdown: io.shutdown, print: io.print });
    }
    const config = loadConfig(env);
    const commandIo: CommandIo = {
      print: io.print,
      printError: io.printError,
      progress: io.progress ?? (() => {}),
      tty: io.tty ?? false,
    };
    if (command === 'links') return await linksCommand(config, rest, commandIo);
    if (command === 'utm') {
      if (rest[0] !== 'lint') throw new CliError('LT_CLI_USAGE', 'usage: linktrack utm lint <file>');
      return await utmLintCommand(config, rest.slice(1), commandIo);
    }
    if (command === 'check') return await checkCommand(config, rest, commandIo);
    const logger = createLogger(config.logLevel, { service: 'linktrack' });
    if (command === 'start') {
      const { values } = parseArgs({ args: rest, options: { services: { type: 'string' } }, strict: true });
      return await startCommand(config, logger, {
        services: values.services,
        shutdown: io.shutdown,
        print: io.print,
      });
    }
    if (command === 'reclassify') {
      return await reclassifyCommand(config, logger, rest, {
        print: io.print,
        progress: io.progress ? { write: io.progress, tty: io.tty ?? false } : undefined,
      });
    }
    if (command === 'migrate') {
      parseArgs({ args: rest, options: {}, strict: true });
      return await migrateCommand(config, logger, io.print);
    }
    throw new CliError('LT_CLI_USAGE', `unknown command "${command}"; run "linktrack help"`);
  } catch (err) {
    return reportFailure(err, io);
  }
}

function reportFailure(err: unknown, io: MainIo): number {
  if (err instanceof ConfigError) {
    for (const p of err.problems) io.printError(`linktrack: ${p.variable}: ${p.message}`);
    return 1;
  }
  const coded = err as { code?: string; message?: string };
  if (typeof coded.code === 'string' && coded.code.startsWith('LT_')) {
    io.printError(`linktrack: ${coded.message} [${coded.code}]`);
    return 1;
  }
  if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    io.printError(`linktrack: ${(err as Error).message}`);
    return 1;
  }
  if ((err as { code?: string }).code === 'EADDRINUSE') {
    io.printError(`linktrack: ${(err as Error).message}; set LINKTRACK_REDIRECT_PORT / LINKTRACK_API_PORT`);
    return 1;
  }
  io.printError(`linktrack: unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  return 1;
}
