import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../../analytics/params.js';
import { EXPORT_FORMATS, exportQuery } from '../../analytics/query-builder.js';
import { busyAsApiError, clientGone } from '../../plugins/analytics.js';
import { ExportQuery } from '../../schemas/analytics.js';

const fileTime = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/**
 * Human clicks of the range with their last-click conversions, streamed from
 * the engine as it produces them: nothing is held in memory but a chunk.
 */
export async function exportRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/v1/analytics/export',
    { config: { auth: true }, schema: { querystring: ExportQuery } },
    async (request, reply) => {
      const scope = scopeOf({ ...request.query, model: 'last' }, app.analytics.windowDays);
      const format = EXPORT_FORMATS[request.query.format ?? 'csv'];
      const { sql, params } = exportQuery(scope);
      const { signal, done } = clientGone(reply);
      let chunks: AsyncIterable<Uint8Array>;
      try {
        chunks = await app.analytics.reader.stream(sql, params, format.engine, signal);
      } catch (err) {
        done();
        throw busyAsApiError(err);
      }
      const body = Readable.from(chunks, { objectMode: false });
      body.once('close', done);
      const name = `linktrack-clicks-${fileTime(scope.range.fromMs)}-${fileTime(scope.range.toMs)}.${format.extension}`;
      return reply
        .header('content-type', format.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(body);
    },
  );
}
