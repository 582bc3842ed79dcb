import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@linktrack/config';
import { createLogger } from '@linktrack/telemetry';
import { kafkaLocalCommand } from './commands/kafka-local.js';
import { migrateCommand } from './commands/migrate.js';
import { reclassifyCommand } from './commands/reclassify.js';
import { startCommand } from './commands/start.js';
import { CliError } from './errors.js';

const HELP = `usage: linktrack <command> [options]

commands:
  start [--services redirect,enricher,sink,api]   run linktrack (all four services by default)
  migrate                                         apply ClickHouse migrations and exit
  reclassify --from <date> --to <date> [--dry-run]
                                                  judge stored clicks again with today's bot classifier
  kafka-local [--dir <path>] [--port <n>]         run a single-node Kafka broker for development
  help                                            show this text

Configuration comes from LINKTRACK_* environment variables; see README.md.`;

export interface MainIo {
  print: (line: string) => void;
  printError: (line: string) => void;
  /** Resolves with the signal name when the process is asked to stop. */
  shutdown: Promise<string>;
  /** Where progress bars go (stderr), and whether it is a terminal. */
  progress?: { write: (text: string) => void; tty: boolean };
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
      // Needs no linktrack configuration: it is the broker that configuration points at.
      return await kafkaLocalCommand({ ...values, shutdown: io.shutdown, print: io.print });
    }
    const config = loadConfig(env);
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
      return await reclassifyCommand(config, logger, rest, { print: io.print, progress: io.progress });
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
