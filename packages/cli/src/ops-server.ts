import type { AddressInfo } from 'node:net';
import type { Metrics } from '@linktrack/telemetry';
import Fastify, { type FastifyInstance } from 'fastify';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

/** Health and metrics for a process that runs neither the redirect nor the api (enricher, sink). */
export async function startOpsServer(host: string, port: number, metrics: Metrics, isReady: () => boolean) {
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/healthz', { schema: { response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { response: { 200: statusSchema, 503: statusSchema } } }, async (_r, reply) =>
    isReady() ? { status: 'ready' } : reply.code(503).send({ status: 'starting' }),
  );
  app.get('/metrics', async (_r, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  await app.listen({ host, port });
  return { url: `http://${host}:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
}
