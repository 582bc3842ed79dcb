import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AnalystSqlError } from '@linktrack/store';
import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema } from '../errors.js';
import { SqlBody, SqlResult } from '../schemas/sql.js';

/**
 * Analyst SQL: one SELECT/WITH/SHOW/DESCRIBE/EXPLAIN statement, judged by the
 * engine's own parser, run read-only under time, memory and result limits.
 * A client that goes away has its query killed.
 */
export async function sqlRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/sql',
    {
      config: { auth: true },
      schema: { body: SqlBody, response: { 200: SqlResult, '4xx': errorResponseSchema } },
    },
    async (request, reply) => {
      const { query, params, final } = request.body;
      const gone = new AbortController();
      const onClose = () => {
        if (!reply.raw.writableFinished) gone.abort();
      };
      reply.raw.once('close', onClose);
      try {
        const { rows } = await app.analystSql.run({ query, params, final, signal: gone.signal });
        return { data: rows, rows: rows.length };
      } catch (err) {
        if (err instanceof AnalystSqlError) throw toApiError(err);
        throw err;
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
}

function toApiError(err: AnalystSqlError): ApiError {
  const details: Record<string, unknown> = {};
  if (err.clickhouseCode) details.clickhouse_code = err.clickhouseCode;
  if (err.limit) details.limit = err.limit;
  return new ApiError(err.code, `query: ${err.message}`, { field: 'query', details });
}
