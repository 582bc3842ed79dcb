import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { LinkService } from '../links/link-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    links: LinkService;
  }
}

export const linksPlugin = fp(
  async (app: FastifyInstance, options: { service: LinkService }) => {
    app.decorate('links', options.service);
  },
  { name: 'linktrack-links' },
);
