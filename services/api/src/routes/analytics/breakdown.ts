import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../../analytics/params.js';
import { breakdownQuery } from '../../analytics/query-builder.js';
import { rate } from '../../analytics/rate.js';
import { errorResponseSchema } from '../../errors.js';
import { BreakdownQuery, BreakdownResult, type BreakdownRow } from '../../schemas/analytics.js';

type Row = Omit<BreakdownRow, 'conversion_rate'>;

/** The range split by one dimension, most human clicks first. */
export async function breakdownRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/breakdown',
    {
      config: { auth: true },
      schema: { querystring: BreakdownQuery, response: { 200: BreakdownResult, '4xx': errorResponseSchema } },
    },
    async (request, reply) => {
      const scope = scopeOf(request.query, app.analytics.windowDays);
      const { dimension, limit = 50 } = request.query;
      const { sql, params } = breakdownQuery(scope, dimension, limit);
      const rows = await app.analytics.rows<Row>(reply, sql, params);
      return {
        dimension,
        rows: rows.map((row) => {
          // "clicks" is people only unless bots are asked for; both kinds are always beside it.
          const clicks = scope.includeBots ? row.clicks : row.human_clicks;
          return { ...row, clicks, conversion_rate: rate(row.conversions, clicks) };
        }),
      };
    },
  );
}
