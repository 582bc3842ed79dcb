import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '../errors.js';
import {
  BulkBody,
  BulkResult,
  CreateLinkBody,
  LinkResult,
  LinkView,
  ListQuery,
  ListResult,
  SlugParams,
  UpdateLinkBody,
} from '../schemas/links.js';

/** Create, read, list, change and disable links; every change reaches every redirect within a second. */
export async function linkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { auth: true };

  app.post(
    '/v1/links',
    {
      config: auth,
      schema: { body: CreateLinkBody, response: { 201: LinkResult, '4xx': errorResponseSchema } },
    },
    async (request, reply) => reply.code(201).send(await app.links.create(request.body)),
  );

  app.post(
    '/v1/links/bulk',
    { config: auth, schema: { body: BulkBody, response: { 200: BulkResult, '4xx': errorResponseSchema } } },
    async (request) => app.links.createMany(request.body.links),
  );

  app.get(
    '/v1/links',
    {
      config: auth,
      schema: { querystring: ListQuery, response: { 200: ListResult, '4xx': errorResponseSchema } },
    },
    async (request) => app.links.list(request.query),
  );

  app.get(
    '/v1/links/:slug',
    { config: auth, schema: { params: SlugParams, response: { 200: LinkView, '4xx': errorResponseSchema } } },
    async (request) => app.links.get(request.params.slug),
  );

  app.patch(
    '/v1/links/:slug',
    {
      config: auth,
      schema: {
        params: SlugParams,
        body: UpdateLinkBody,
        response: { 200: LinkResult, '4xx': errorResponseSchema },
      },
    },
    async (request) => app.links.update(request.params.slug, request.body),
  );

  // Disabling keeps the link (and its clicks); the redirect answers 410 Gone and records the visit.
  app.delete(
    '/v1/links/:slug',
    {
      config: auth,
      schema: { params: SlugParams, response: { 200: LinkResult, '4xx': errorResponseSchema } },
    },
    async (request) => app.links.update(request.params.slug, { status: 'disabled' }),
  );
}
