import type { LinktrackConfig } from '@linktrack/config';
import type { Logger } from '@linktrack/telemetry';
import { startStack } from '../runtime.js';
import { checkPlacement, parseServices } from '../services.js';

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
  const stack = await startStack(config, services, logger);
  options.print(`linktrack is running (${[...services].join(', ')})`);
  if (stack.redirectUrl)
    options.print(`  short links: ${stack.redirectUrl}/<slug>   (public base ${config.api.baseUrl})`);
  if (stack.apiUrl) options.print(`  api:         ${stack.apiUrl}`);
  if (stack.opsUrl) options.print(`  health/metrics: ${stack.opsUrl}`);
  options.print(
    `  transport:   ${stack.bus.kind}${config.kafka ? ` (${config.kafka.brokers.join(',')})` : ''}`,
  );
  if (stack.apiKey?.generated)
    options.print(`  api key:     ${stack.apiKey.key}   (generated, kept in ${stack.apiKey.file})`);
  else if (stack.apiKey?.file)
    options.print(`  api key:     ${stack.apiKey.key}   (from ${stack.apiKey.file})`);
  const signal = await options.shutdown;
  logger.info({ event: 'shutdown_started', signal }, 'shutting down: draining clicks');
  await stack.stop();
  logger.info({ event: 'shutdown_finished' }, 'stopped');
  return 0;
}
