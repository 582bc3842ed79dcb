import type { AddressInfo } from 'node:net';
import { healthPlugin, type Metrics, type Readiness } from '@linktrack/telemetry';
import Fastify, { type FastifyInstance } from 'fastify';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

export interface OpsServerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  /** Metrics kept by other threads of this process (the redirect's), merged into one exposition. */
  extraMetrics: () => Promise<MetricsJson[]>;
  readiness: () => Readiness;
}

/**
 * The internal listener of every process: /metrics, /healthz and /readyz on
 * LINKTRACK_METRICS_HOST:LINKTRACK_METRICS_PORT (loopback by default), so
 * metrics never share the public redirect port.
 */
export async function startOpsServer(options: OpsServerOptions) {
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(healthPlugin, {
    readiness: options.readiness,
    metrics: async () => {
      const own = (await options.metrics.registry.getMetricsAsJSON()) as MetricsJson;
      const others = await options.extraMetrics();
      // Same names in several threads (each counts its own events): their values add up.
      const merged =
        others.length === 0 ? options.metrics.registry : AggregatorRegistry.aggregate([own, ...others]);
      return { contentType: options.metrics.registry.contentType, body: await merged.metrics() };
    },
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}`, close: () => app.close() };
}
