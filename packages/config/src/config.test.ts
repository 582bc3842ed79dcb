import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.variable}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.redirect.port).toBe(8080);
    expect(config.api.port).toBe(8081);
    expect(config.host).toBe('127.0.0.1');
    expect(config.api.baseUrl).toBe('http://localhost:8080');
    expect(config.dataDir).toBe('/srv/app/.linktrack');
    expect(config.redirect.trustProxy).toBe(false);
    expect(config.redirect.status).toBe(302);
    expect(config.clickhouse.url).toBeNull();
    expect(config.kafka).toBeNull();
    expect(config.geoip.paths).toHaveLength(2);
    expect(config.geoip.paths[0]).toMatch(/dbip-city-ipv4\.mmdb$/);
    expect(config.embedded).toEqual({ busMaxMessages: 50_000, pipelineYield: true });
  });

  it('reports every bad variable at once, each naming the variable and the reason', () => {
    const problems = problemsOf({
      LINKTRACK_REDIRECT_PORT: 'eighty',
      LINKTRACK_API_PORT: '70000',
      LINKTRACK_BASE_URL: 'ftp://x',
      LINKTRACK_TRUST_PROXY: '10.0.0.0/8,not-an-ip',
      LINKTRACK_GEOIP_DB: '/nope/city.mmdb',
      LINKTRACK_LOG_LEVEL: 'loud',
      LINKTRACK_API_KEY: 'short',
    });
    expect(problems).toEqual([
      'LINKTRACK_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'LINKTRACK_REDIRECT_PORT: must be an integer from 0 to 65535, got "eighty"',
      'LINKTRACK_TRUST_PROXY: must be true, false, a hop count, or IPs/CIDRs; "not-an-ip" is not an address',
      'LINKTRACK_API_PORT: must be an integer from 0 to 65535, got "70000"',
      'LINKTRACK_API_KEY: must be at least 16 characters, got 5',
      'LINKTRACK_BASE_URL: must use http: or https:, got "ftp:"',
      'LINKTRACK_GEOIP_DB: "/nope/city.mmdb" does not exist',
    ]);
  });

  it('parses trust proxy as a boolean, a hop count or a CIDR list', () => {
    expect(loadConfig({ LINKTRACK_TRUST_PROXY: 'true' }).redirect.trustProxy).toBe(true);
    expect(loadConfig({ LINKTRACK_TRUST_PROXY: '2' }).redirect.trustProxy).toBe(2);
    expect(loadConfig({ LINKTRACK_TRUST_PROXY: '10.0.0.0/8, ::1' }).redirect.trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
  });

  it('turns Kafka on only when brokers are given, and checks SASL completeness', () => {
    const config = loadConfig({ LINKTRACK_KAFKA_BROKERS: 'k1:9092, k2:9092' });
    expect(config.kafka?.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.kafka?.topicPrefix).toBe('linktrack.');
    expect(problemsOf({ LINKTRACK_KAFKA_BROKERS: 'k1', LINKTRACK_KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'LINKTRACK_KAFKA_BROKERS: "k1" is not host:port',
      'LINKTRACK_KAFKA_SASL_USERNAME: is required when LINKTRACK_KAFKA_SASL_MECHANISM is set',
      'LINKTRACK_KAFKA_SASL_PASSWORD: is required when LINKTRACK_KAFKA_SASL_MECHANISM is set',
    ]);
  });

  it('reads the click-data settings, and reports unknown signals and bad origins', () => {
    const config = loadConfig({
      LINKTRACK_BOT_SIGNALS_OFF: 'burst, datacenter',
      LINKTRACK_ALLOWED_ORIGINS: 'https://shop.example,http://localhost:3000',
      LINKTRACK_VISITOR_SALT_SECRET: 'a-shared-secret-of-enough-length',
    });
    expect(config.enricher.botSignalsOff).toEqual(['burst', 'datacenter']);
    expect(config.collect.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:3000']);
    expect(config.enricher.visitorSaltSecret).toBe('a-shared-secret-of-enough-length');
    expect(config.enricher.asnPaths[0]).toMatch(/asn-ipv4-num\.csv$/);
    expect(loadConfig({ LINKTRACK_ASN_DB: 'off' }).enricher.asnPaths).toEqual([]);
    expect(config.collect.publishableKey).toBeNull();
    expect(loadConfig({ LINKTRACK_PUBLISHABLE_KEY: 'pk_shop_0123456789ab' }).collect.publishableKey).toBe(
      'pk_shop_0123456789ab',
    );
    expect(problemsOf({ LINKTRACK_PUBLISHABLE_KEY: 'pk short' })).toEqual([
      'LINKTRACK_PUBLISHABLE_KEY: must be 16-128 letters, digits, "_" or "-"',
    ]);
    expect(
      problemsOf({
        LINKTRACK_API_KEY: 'same-key-0123456789',
        LINKTRACK_PUBLISHABLE_KEY: 'same-key-0123456789',
      }),
    ).toEqual(['LINKTRACK_PUBLISHABLE_KEY: must differ from LINKTRACK_API_KEY: pages publish it']);
    expect(
      problemsOf({
        LINKTRACK_BOT_SIGNALS_OFF: 'burst,nonsense',
        LINKTRACK_ALLOWED_ORIGINS: 'https://shop.example/path',
        LINKTRACK_VISITOR_SALT_SECRET: 'short',
        LINKTRACK_PRIVACY_RELAY_RANGES: '/nope/egress-ip-ranges.csv',
      }),
    ).toEqual([
      expect.stringMatching(/^LINKTRACK_BOT_SIGNALS_OFF: unknown signal "nonsense"; signals are honeypot, /),
      'LINKTRACK_VISITOR_SALT_SECRET: must be at least 16 characters, got 5',
      'LINKTRACK_PRIVACY_RELAY_RANGES: "/nope/egress-ip-ranges.csv" does not exist',
      'LINKTRACK_ALLOWED_ORIGINS: "https://shop.example/path" is not an origin like https://shop.example',
    ]);
  });

  it('reads the attribution window, 1 to 365 days, 30 by default', () => {
    expect(loadConfig({}).analytics.attributionWindowDays).toBe(30);
    expect(loadConfig({ LINKTRACK_ATTRIBUTION_WINDOW_DAYS: '7' }).analytics.attributionWindowDays).toBe(7);
    expect(problemsOf({ LINKTRACK_ATTRIBUTION_WINDOW_DAYS: '0' })).toEqual([
      expect.stringMatching(/^LINKTRACK_ATTRIBUTION_WINDOW_DAYS: /),
    ]);
    expect(problemsOf({ LINKTRACK_ATTRIBUTION_WINDOW_DAYS: '366' })).toHaveLength(1);
  });
});
