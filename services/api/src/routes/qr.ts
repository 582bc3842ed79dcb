import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { errorResponseSchema } from '../errors.js';
import { QrQuery, SlugParams } from '../schemas/links.js';

const FORMATS = {
  svg: {
    type: 'image/svg+xml',
    render: (text: string, o: QRCode.QRCodeToStringOptions) => QRCode.toString(text, { ...o, type: 'svg' }),
  },
  png: {
    type: 'image/png',
    render: (text: string, o: QRCode.QRCodeToBufferOptions) => QRCode.toBuffer(text, { ...o, type: 'png' }),
  },
} as const;

/**
 * QR codes of a link. They encode the short URL with the QR marker, which the
 * redirect recognises (the click is recorded with trigger = 'qr') and strips
 * before forwarding. Error correction M: readable with some damage, still small.
 */
export async function qrRoutes(fastify: FastifyInstance, options: { qrParam: string }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const [extension, format] of Object.entries(FORMATS)) {
    app.get(
      `/v1/links/:slug/qr.${extension}`,
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
        const target = `${app.links.get(request.params.slug).short_url}?${options.qrParam}=1`;
        const image = await format.render(target, { width: size, margin, errorCorrectionLevel: 'M' });
        return reply.type(format.type).send(image);
      },
    );
  }
}
