// The bare Fastify 302 of bare-server.ts on a worker thread, as the redirect's HTTP thread runs in the
// embedded default and in the redirect service: what the thread itself costs per request.
// Plain JavaScript: a worker does not inherit the parent's TypeScript loader.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Fastify from 'fastify';

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { port: Number(process.argv[2] ?? 0) } });
  worker.on('message', (m) => {
    if (m === 'ready') console.log('ready');
  });
  process.once('SIGTERM', () => {
    worker.postMessage('stop');
    worker.once('exit', () => process.exit(0));
  });
} else {
  const app = Fastify({ logger: false });
  app.get('/:slug', (_request, reply) => {
    reply.code(302).header('location', 'https://example.com/').send();
  });
  await app.listen({ host: '127.0.0.1', port: workerData.port });
  parentPort?.on('message', () => {
    void app.close().then(() => process.exit(0));
  });
  parentPort?.postMessage('ready');
}
