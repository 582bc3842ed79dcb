import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** What a readiness check says: ready, or why not. */
export type Readiness = { ready: true } | { ready: false; reason: string };

export interface HealthOptions {
  readiness: () => Readiness;
  /** Serves /metrics when given; public listeners leave it out. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

/**
 * /healthz (the process answers), /readyz (it can do its job) and, on the
 * internal listener only, /metrics. One plugin for the redirect, the api and
 * the internal listener, so the three answer alike.
 */
export const healthPlugin = fp(
  async (app: FastifyInstance, options: HealthOptions) => {
    app.get('/healthz', { schema: { response: { 200: statusSchema } } }, async () => ({ status: 'ok' }));
    app.get(
      '/readyz',
      { schema: { response: { 200: statusSchema, 503: statusSchema } } },
      async (_request, reply) => {
        const state = options.readiness();
        return state.ready ? { status: 'ready' } : reply.code(503).send({ status: state.reason });
      },
    );
    const metrics = options.metrics;
    if (metrics) {
      app.get('/metrics', async (_request, reply) => {
        const { contentType, body } = await metrics();
        return reply.type(contentType).send(body);
      });
    }
  },
  { name: 'linktrack-health' },
);
