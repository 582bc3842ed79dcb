// The baseline: a bare Fastify handler answering 302, nothing else.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/:slug', (_request, reply) => {
  reply.code(302).header('location', 'https://example.com/').send();
});
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
// Exit on SIGTERM rather than die of it, so that a --cpu-prof profile gets written.
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
console.log('ready');
