import { SLUG_PATTERN } from '@linktrack/links';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '../errors.js';
import type { CreateLinkInput } from '../link-service.js';

const utmValue = { type: 'string', minLength: 1, maxLength: 200 } as const;

export async function linkRoutes(app: FastifyInstance) {
  app.post<{ Body: CreateLinkInput }>(
    '/v1/links',
    {
      config: { auth: true },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['url'],
          properties: {
            url: { type: 'string', minLength: 1, maxLength: 4_096 },
            slug: { type: 'string', pattern: SLUG_PATTERN },
            utm: {
              type: 'object',
              additionalProperties: false,
              properties: {
                source: utmValue,
                medium: utmValue,
                campaign: utmValue,
                term: utmValue,
                content: utmValue,
              },
            },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['slug', 'short_url', 'destination', 'warnings'],
            properties: {
              slug: { type: 'string' },
              short_url: { type: 'string' },
              destination: { type: 'string' },
              warnings: { type: 'array', items: { type: 'string' } },
            },
          },
          '4xx': errorResponseSchema,
        },
      },
    },
    async (request, reply) => reply.code(201).send(await app.links.create(request.body)),
  );
}
