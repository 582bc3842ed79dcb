import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { funnelSpecOf, scopeOf } from '../../analytics/params.js';
import { funnelQuery } from '../../analytics/query-builder.js';
import { errorResponseSchema } from '../../errors.js';
import { FunnelQuery, FunnelResult } from '../../schemas/analytics.js';

/** How many clicks of the range went on to each step, in order, within the window. */
export async function funnelRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/funnel',
    {
      config: { auth: true },
      schema: { querystring: FunnelQuery, response: { 200: FunnelResult, '4xx': errorResponseSchema } },
    },
    async (request, reply): Promise<FunnelResult> => {
      const spec = funnelSpecOf(request.query);
      const scope = scopeOf(request.query, app.analytics.windowDays);
      const { sql, params } = funnelQuery(scope, spec);
      const groups = await app.analytics.rows<{ group: string; counts: number[] }>(reply, sql, params);
      return { steps: spec.steps, window_seconds: spec.windowSeconds, groups };
    },
  );
}
