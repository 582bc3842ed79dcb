import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaLocalError } from './errors.js';
import { exec, tail } from './exec.js';
import { checkJava, defaultCacheDir, resolveKafkaJars } from './resolve-jars.js';

export interface KafkaLocalOptions {
  /** Broker data; a new temporary directory when absent. Reusing a directory reuses its ports and data. */
  dataDir?: string;
  /** Client port; free port when absent (or the one this data dir used before). */
  port?: number;
  cacheDir?: string;
  /** JVM heap, e.g. '512m'. */
  heap?: string;
  /**
   * 'fast-start' (default) stops the JIT at C1: ready sooner, which suits tests that
   * start brokers often; 'throughput' lets C2 compile hot code, for benchmarks.
   */
  jit?: 'fast-start' | 'throughput';
  startTimeoutMs?: number;
  progress?: (line: string) => void;
}

export interface KafkaLocal {
  bootstrap: string;
  /** The broker JVM's process id. */
  pid: number | undefined;
  port: number;
  dataDir: string;
  /** Controlled shutdown (SIGTERM), waiting for the JVM to exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
}

/** What a data dir remembers so that a restart comes back on the same address. */
interface BrokerState {
  clusterId: string;
  port: number;
  controllerPort: number;
}

/**
 * Starts a single-node KRaft broker (broker and controller in one JVM) from
 * Apache Kafka's jars, formatting the storage on first use of a data dir.
 */
/**
 * A Kafka cluster id: a UUID written as 22 characters of unpadded base64url.
 * Like Kafka's own Uuid.randomUuid, never one that starts with "-": the
 * storage tool would read it as an option (1 start in 64 failed before).
 */
export function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export async function startKafkaLocal(options: KafkaLocalOptions = {}): Promise<KafkaLocal> {
  const progress = options.progress ?? (() => {});
  await checkJava();
  const libs = await resolveKafkaJars(options.cacheDir ?? defaultCacheDir(), progress);
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'linktrack-kafka-')));
  await mkdir(dataDir, { recursive: true });
  const state = await loadOrCreateState(dataDir, options.port);
  const properties = join(dataDir, 'server.properties');
  await writeFile(properties, serverProperties(dataDir, state));
  await writeFile(join(dataDir, 'log4j2.properties'), log4jProperties(dataDir));
  const classpath = join(libs, '*');
  if (!existsSync(join(dataDir, 'logs', 'meta.properties'))) {
    progress(`formatting KRaft storage in ${join(dataDir, 'logs')}`);
    const format = await exec('java', [
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      state.clusterId,
      '-c',
      properties,
    ]);
    if (format.code !== 0)
      throw new KafkaLocalError(
        'LT_KAFKA_LOCAL_FORMAT_FAILED',
        `formatting Kafka storage failed:\n${tail(format.output)}`,
      );
  }
  const child = spawn(
    'java',
    [
      `-Xmx${options.heap ?? '768m'}`,
      '-Xms256m',
      '-XX:+UseG1GC',
      ...(options.jit === 'throughput' ? [] : ['-XX:TieredStopAtLevel=1']),
      `-Dlog4j2.configurationFile=${join(dataDir, 'log4j2.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      properties,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = collect(child);
  const bootstrap = `127.0.0.1:${state.port}`;
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitReady(bootstrap, child, output, options.startTimeoutMs ?? 90_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  progress(`kafka broker ready at ${bootstrap} (data in ${dataDir})`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    bootstrap,
    pid: child.pid,
    port: state.port,
    dataDir,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

async function loadOrCreateState(dataDir: string, port?: number): Promise<BrokerState> {
  const file = join(dataDir, 'kafka-local.json');
  if (existsSync(file)) {
    const state = JSON.parse(await readFile(file, 'utf8')) as BrokerState;
    if (port !== undefined && port !== state.port)
      throw new KafkaLocalError(
        'LT_KAFKA_LOCAL_START_FAILED',
        `${dataDir} belongs to a broker on port ${state.port}; use that port or another data dir`,
      );
    return state;
  }
  const state: BrokerState = {
    clusterId: clusterId(),
    port: port ?? (await freePort()),
    controllerPort: await freePort(),
  };
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
  return state;
}

function serverProperties(dataDir: string, s: BrokerState): string {
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${s.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${s.port},CONTROLLER://127.0.0.1:${s.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${s.port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    // One node: internal topics cannot have more replicas than brokers.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Consumers in tests should not wait 3 s for the first rebalance.
    'group.initial.rebalance.delay.ms=0',
    'offsets.topic.num.partitions=4',
    'num.partitions=1',
    'auto.create.topics.enable=false',
  ].join('\n')}\n`;
}

function log4jProperties(dataDir: string): string {
  return `${[
    'appender.file.type=File',
    'appender.file.name=file',
    `appender.file.fileName=${join(dataDir, 'server.log')}`,
    'appender.file.layout.type=PatternLayout',
    'appender.file.layout.pattern=[%d] %p %m (%c)%n',
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.file.ref=file',
    'logger.kafka.name=kafka',
    'logger.kafka.level=WARN',
    'logger.org.name=org.apache.kafka',
    'logger.org.level=WARN',
  ].join('\n')}\n`;
}

function collect(child: ChildProcess): { text: string } {
  const output = { text: '' };
  const append = (d: Buffer) => {
    output.text = (output.text + d.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return output;
}

/** Ready means a client can list topics, not merely that the port is open. */
async function waitReady(
  bootstrap: string,
  child: ChildProcess,
  output: { text: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({
    brokers: [bootstrap],
    clientId: 'kafka-local-probe',
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1_000,
  });
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new KafkaLocalError(
        'LT_KAFKA_LOCAL_START_FAILED',
        `the Kafka broker exited (${child.exitCode ?? child.signalCode}) while starting:\n${tail(output.text)}`,
      );
    const admin = kafka.admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await admin.disconnect().catch(() => {});
    }
  }
  throw new KafkaLocalError(
    'LT_KAFKA_LOCAL_START_FAILED',
    `the Kafka broker did not answer on ${bootstrap} within ${timeoutMs} ms:\n${tail(output.text)}`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
