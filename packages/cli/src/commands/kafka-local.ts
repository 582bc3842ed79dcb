import { startKafkaLocal } from '@linktrack/kafka-local';
import { CliError } from '../errors.js';

export interface KafkaLocalCommandOptions {
  dir?: string;
  port?: string;
  shutdown: Promise<string>;
  print: (line: string) => void;
}

/** Runs a single-node Kafka broker for development until Ctrl-C. */
export async function kafkaLocalCommand(options: KafkaLocalCommandOptions): Promise<number> {
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new CliError('LT_CLI_USAGE', `--port: "${options.port}" is not a TCP port (1-65535)`);
  const broker = await startKafkaLocal({ dataDir: options.dir, port, progress: options.print });
  options.print(`kafka-local: bootstrap ${broker.bootstrap}`);
  options.print(`  data:   ${broker.dataDir} (broker log in server.log; reuse with --dir to keep topics)`);
  options.print(`  use it: LINKTRACK_KAFKA_BROKERS=${broker.bootstrap} npm start`);
  await options.shutdown;
  options.print('kafka-local: stopping');
  await broker.stop();
  return 0;
}
