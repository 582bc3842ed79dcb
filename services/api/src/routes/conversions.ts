import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '../errors.js';
import { ConversionsAccepted, ConversionsBody } from '../schemas/conversions.js';

/** Conversions from the site's own servers, behind the api key; 202 once they are on the bus. */
export async function conversionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/v1/conversions',
    {
      config: { auth: true },
      schema: { body: ConversionsBody, response: { 202: ConversionsAccepted, '4xx': errorResponseSchema } },
    },
    async (request, reply) => reply.code(202).send(await app.conversions.accept(request.body)),
  );
}
