import { MessageChannel, Worker } from 'node:worker_threads';
import { type Bus, servePortBus } from '@linktrack/bus';
import type { RedirectSettings } from './service.js';

export interface RedirectWorker {
  url: string;
  stop(): Promise<void>;
}

type FromWorker =
  | { kind: 'ready'; url: string }
  | { kind: 'failed'; message: string; code: string | null }
  | { kind: 'stopped' };

/**
 * Runs the redirect on a thread of its own, using `bus` (owned by this thread)
 * through a MessagePort. In the embedded default the enricher and sink share
 * the main thread; this keeps their work from slowing redirects.
 */
export async function startRedirectWorker(
  bus: Bus,
  settings: RedirectSettings,
  logLevel: string,
): Promise<RedirectWorker> {
  const { port1, port2 } = new MessageChannel();
  const stopServing = servePortBus(bus, port1);
  const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
    workerData: { settings, logLevel, busPort: port2 },
    transferList: [port2],
  });
  const next = (kinds: FromWorker['kind'][]) =>
    new Promise<FromWorker>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (!kinds.includes(m.kind)) return;
        worker.off('message', onMessage);
        resolve(m);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`redirect worker exited with code ${code}`)));
    });

  const first = await next(['ready', 'failed']);
  if (first.kind !== 'ready') {
    await worker.terminate();
    await stopServing();
    const failed = first as Extract<FromWorker, { kind: 'failed' }>;
    throw Object.assign(new Error(failed.message), failed.code ? { code: failed.code } : {});
  }
  return {
    url: first.url,
    stop: async () => {
      const stopped = next(['stopped']);
      worker.postMessage({ kind: 'stop' });
      await stopped;
      await stopServing();
      port1.close();
      await worker.terminate();
    },
  };
}
