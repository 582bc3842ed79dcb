import { SLUG_PATTERN } from '@linktrack/links';
import type { FastifyInstance } from 'fastify';
import { errorResponseSchema } from '../errors.js';
import type { CreateLinkInput, UpdateLinkInput } from '../link-service.js';

const utmValue = { type: 'string', minLength: 1, maxLength: 200 } as const;
const urlSchema = { type: 'string', minLength: 1, maxLength: 4_096 } as const;
const utmSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { source: utmValue, medium: utmValue, campaign: utmValue, term: utmValue, content: utmValue },
} as const;
const slugParams = {
  type: 'object',
  required: ['slug'],
  properties: { slug: { type: 'string', pattern: SLUG_PATTERN } },
} as const;
const linkViewSchema = {
  type: 'object',
  required: ['slug', 'short_url', 'url', 'destination', 'status', 'updated_at', 'warnings'],
  properties: {
    slug: { type: 'string' },
    short_url: { type: 'string' },
    url: { type: 'string' },
    destination: { type: 'string' },
    status: { type: 'string', enum: ['active', 'disabled'] },
    updated_at: { type: 'integer', description: 'ms since the epoch' },
    warnings: { type: 'array', items: { type: 'string' } },
  },
} as const;

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
            url: urlSchema,
            slug: { type: 'string', pattern: SLUG_PATTERN },
            utm: utmSchema,
            honeypot: { type: 'boolean' },
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

  // Every change is published to the links topic; redirects apply it within a second.
  app.patch<{ Params: { slug: string }; Body: UpdateLinkInput }>(
    '/v1/links/:slug',
    {
      config: { auth: true },
      schema: {
        params: slugParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            url: urlSchema,
            utm: utmSchema,
            status: { type: 'string', enum: ['active', 'disabled'] },
          },
        },
        response: { 200: linkViewSchema, '4xx': errorResponseSchema },
      },
    },
    async (request) => app.links.update(request.params.slug, request.body),
  );

  // Disabling keeps the link (and its clicks) but makes the redirect answer 404.
  app.delete<{ Params: { slug: string } }>(
    '/v1/links/:slug',
    {
      config: { auth: true },
      schema: { params: slugParams, response: { 200: linkViewSchema, '4xx': errorResponseSchema } },
    },
    async (request) => app.links.update(request.params.slug, { status: 'disabled' }),
  );
}
