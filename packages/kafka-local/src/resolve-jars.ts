import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaLocalError } from './errors.js';
import { exec, tail } from './exec.js';

/** infra/kafka/pom.xml lists the broker's artifacts; its version is the one we run. */
export const POM_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../infra/kafka/pom.xml');

export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'linktrack', 'kafka');
}

/** Fails with what to install when java is not on PATH. */
export async function checkJava(java = 'java'): Promise<void> {
  const result = await exec(java, ['-version']);
  if (result.spawnError || result.code !== 0)
    throw new KafkaLocalError(
      'LT_KAFKA_LOCAL_JAVA_MISSING',
      'kafka-local needs Java 17 or newer on PATH (for example: apt-get install openjdk-17-jre-headless, or brew install openjdk@17)',
    );
  const major = Number(/version "(\d+)/.exec(result.output)?.[1] ?? 0);
  if (major > 0 && major < 17)
    throw new KafkaLocalError(
      'LT_KAFKA_LOCAL_JAVA_MISSING',
      `kafka-local needs Java 17 or newer; found Java ${major} on PATH`,
    );
}

/**
 * Resolves the broker's jars from Maven Central into `<cacheDir>/<version>-<pom hash>/libs`
 * once; later calls reuse them. Returns the libs directory.
 */
export async function resolveKafkaJars(
  cacheDir: string,
  progress: (line: string) => void,
  maven = 'mvn',
): Promise<string> {
  const version = await pomKafkaVersion();
  const pom = await readFile(POM_PATH);
  const key = `${version}-${createHash('sha256').update(pom).digest('hex').slice(0, 8)}`;
  const libs = join(cacheDir, key, 'libs');
  const done = join(cacheDir, key, '.complete');
  if (existsSync(done)) return libs;
  const mvn = await exec(maven, ['-v']);
  if (mvn.spawnError || mvn.code !== 0)
    throw new KafkaLocalError(
      'LT_KAFKA_LOCAL_MAVEN_MISSING',
      'kafka-local resolves Apache Kafka from Maven Central and needs Maven (mvn) on PATH (for example: apt-get install maven, or brew install maven)',
    );
  progress(`resolving Apache Kafka ${version} from Maven Central into ${libs} (once)…`);
  await rm(libs, { recursive: true, force: true });
  await mkdir(libs, { recursive: true });
  const result = await exec(maven, [
    '-B',
    '-q',
    '-f',
    POM_PATH,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${libs}`,
    '-DincludeScope=runtime',
  ]);
  const jars = (await readdir(libs)).filter((f) => f.endsWith('.jar'));
  if (result.code !== 0 || jars.length === 0)
    throw new KafkaLocalError(
      'LT_KAFKA_LOCAL_RESOLVE_FAILED',
      `mvn dependency:copy-dependencies failed (exit ${result.code}):\n${tail(result.output)}`,
    );
  await writeFile(done, `${jars.length} jars\n`);
  progress(`resolved ${jars.length} jars`);
  return libs;
}

export async function pomKafkaVersion(): Promise<string> {
  const pom = await readFile(POM_PATH, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (!version)
    throw new KafkaLocalError('LT_KAFKA_LOCAL_RESOLVE_FAILED', `no <kafka.version> in ${POM_PATH}`);
  return version;
}
