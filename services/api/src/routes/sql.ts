import type { FastifyInstance } from 'fastify';
import { ApiError, errorResponseSchema } from '../errors.js';

interface SqlBody {
  query: string;
  params?: Record<string, unknown>;
}

// ClickHouse's READONLY error: the analyst tried to write.
const CLICKHOUSE_READONLY = '164';

/** Read-only SQL for analysts, on a client whose every query runs with readonly=1. */
export async function sqlRoutes(app: FastifyInstance) {
  app.post<{ Body: SqlBody }>(
    '/v1/sql',
    {
      config: { auth: true },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['query'],
          properties: {
            query: { type: 'string', minLength: 1, maxLength: 100_000 },
            params: { type: 'object', additionalProperties: true },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['data', 'rows'],
            properties: {
              data: { type: 'array', items: { type: 'object', additionalProperties: true } },
              rows: { type: 'integer' },
            },
          },
          '4xx': errorResponseSchema,
        },
      },
    },
    async (request) => {
      const { query, params } = request.body;
      try {
        const result = await app.clickhouseReader.query({
          query,
          query_params: params ?? {},
          format: 'JSONEachRow',
        });
        const data = await result.json<Record<string, unknown>>();
        return { data, rows: data.length };
      } catch (err) {
        throw toSqlError(err);
      }
    },
  );
}

function toSqlError(err: unknown): ApiError {
  const code = (err as { code?: string }).code;
  const message = (err as Error).message ?? String(err);
  if (code === CLICKHOUSE_READONLY) {
    return new ApiError('LT_SQL_READONLY', 'query: only reading queries are allowed here', {
      field: 'query',
      details: { clickhouse_code: code },
    });
  }
  if (code !== undefined) {
    return new ApiError('LT_SQL_ERROR', `query: ${message.split('\n')[0]}`, {
      field: 'query',
      details: { clickhouse_code: code },
    });
  }
  throw err;
}
