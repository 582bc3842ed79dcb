import type { LinktrackConfig } from '@linktrack/config';
import type { Logger } from '@linktrack/telemetry';
import { startStack } from '../runtime/stack.js';
import { checkPlacement, parseServices } from '../services.js';
import { startWatchdog } from '../watchdog.js';

export interface StartOptions {
  services?: string;
  /** Resolves when the process should shut down (SIGINT/SIGTERM). */
  shutdown: Promise<string>;
  print: (line: string) => void;
}

export async function startCommand(
  config: LinktrackConfig,
  logger: Logger,
  options: StartOptions,
): Promise<number> {
  const services = parseServices(options.services);
  checkPlacement(services, config);
  // Everything this process creates (engine data, spools, logs of the bus) is for its owner only.
  process.umask(0o077);
  const watchdog = startWatchdog(config.watchdogSeconds);
  const stack = await startStack(config, services, logger, { heartbeat: watchdog.heartbeat }).catch(
    async (err) => {
      await watchdog.stop();
      throw err;
    },
  );
  options.print(`linktrack is running (${[...services].join(', ')})`);
  if (stack.redirectUrl)
    options.print(`  short links: ${stack.redirectUrl}/<slug>   (public base ${config.api.baseUrl})`);
  if (stack.apiUrl) options.print(`  api:         ${stack.apiUrl}`);
  options.print(`  health/metrics: ${stack.opsUrl}   (internal: /metrics, /healthz, /readyz)`);
  if (stack.apiKey?.generated)
    options.print(`  api key:     ${stack.apiKey.key}   (generated now, kept in ${stack.apiKey.file})`);
  else if (stack.apiKey?.file) options.print(`  api key:     kept in ${stack.apiKey.file}`);
  options.print(
    `  transport:   ${stack.bus.kind}${config.kafka ? ` (${config.kafka.brokers.join(',')})` : ''}`,
  );
  const outcome = await Promise.race([
    options.shutdown.then((signal) => ({ signal, err: null })),
    stack.failed.then((err) => ({ signal: null, err })),
  ]);
  if (outcome.err) {
    logger.fatal({ event: 'service_crashed', err: outcome.err }, 'a service died; stopping linktrack');
  } else {
    logger.info({ event: 'shutdown_started', signal: outcome.signal }, 'shutting down: draining clicks');
  }
  await stack.stop();
  await watchdog.stop();
  logger.info({ event: 'shutdown_finished' }, 'stopped');
  return outcome.err ? 1 : 0;
}
