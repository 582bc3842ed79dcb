import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { errorResponseSchema } from '../errors.js';
import { QrQuery, SlugParams } from '../schemas/links.js';

/**
 * QR codes of a link. They encode the short URL with the QR marker, which the
 * redirect recognises (the click is recorded with trigger = 'qr') and strips
 * before forwarding. Error correction M: readable with some damage, still small.
 */
export async function qrRoutes(fastify: FastifyInstance, options: { qrParam: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const target = (slug: string) => `${app.links.get(slug).short_url}?${options.qrParam}=1`;

  app.get(
    '/v1/links/:slug/qr.svg',
    {
      config: { auth: true },
      schema: {
        params: SlugParams,
        querystring: QrQuery,
        response: { 200: Type.Unknown(), '4xx': errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { size = 256, margin = 4 } = request.query;
      const svg = await QRCode.toString(target(request.params.slug), {
        type: 'svg',
        width: size,
        margin,
        errorCorrectionLevel: 'M',
      });
      return reply.type('image/svg+xml').send(svg);
    },
  );

  app.get(
    '/v1/links/:slug/qr.png',
    {
      config: { auth: true },
      schema: {
        params: SlugParams,
        querystring: QrQuery,
        response: { 200: Type.Unknown(), '4xx': errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { size = 256, margin = 4 } = request.query;
      const png = await QRCode.toBuffer(target(request.params.slug), {
        type: 'png',
        width: size,
        margin,
        errorCorrectionLevel: 'M',
      });
      return reply.type('image/png').send(png);
    },
  );
}
