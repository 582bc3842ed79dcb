import { MessageChannel, Worker } from 'node:worker_threads';
import { type Bus, servePortBus } from '@linktrack/bus';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { RedirectSettings } from './service.js';

export type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

export interface RedirectWorker {
  url: string;
  /**
   * Whether the redirect thread is busy: its event loop ran more than half
   * of the last ~100 ms. The embedded pipeline holds back while it is.
   */
  busy(): boolean;
  /** The redirect thread's metrics, to be served with the process's own. */
  metrics(): Promise<WorkerMetrics>;
  /** Settles only if the thread ends without being asked to: the process should then exit. */
  crashed: Promise<Error>;
  stop(): Promise<void>;
}

/** Event loop utilization above which the redirect thread counts as busy. */
const BUSY_UTILIZATION = 0.5;
/** How often busy() measures again; between measurements it gives the last answer. */
const BUSY_SAMPLE_MS = 100;

type FromWorker =
  | { kind: 'ready'; url: string }
  | { kind: 'failed'; message: string; code: string | null }
  | { kind: 'metrics'; id: number; metrics: WorkerMetrics }
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
  let stopping = false;
  const crashed = new Promise<Error>((resolve) => {
    worker.once('error', (err) => {
      if (!stopping) resolve(err);
    });
    worker.once('exit', (code) => {
      if (!stopping) resolve(new Error(`the redirect thread exited with code ${code}`));
    });
  });
  const next = <K extends FromWorker['kind']>(kinds: K[], match: (m: FromWorker) => boolean = () => true) =>
    new Promise<Extract<FromWorker, { kind: K }>>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (!(kinds as string[]).includes(m.kind) || !match(m)) return;
        worker.off('message', onMessage);
        resolve(m as Extract<FromWorker, { kind: K }>);
      };
      worker.on('message', onMessage);
      crashed.then(reject, reject);
    });

  const first = await next(['ready', 'failed']);
  if (first.kind !== 'ready') {
    stopping = true;
    await worker.terminate();
    await stopServing();
    const failed = first as Extract<FromWorker, { kind: 'failed' }>;
    throw Object.assign(new Error(failed.message), failed.code ? { code: failed.code } : {});
  }
  let metricsRequests = 0;
  let sampled = worker.performance.eventLoopUtilization();
  let sampledAt = performance.now();
  let busy = false;
  return {
    url: first.url,
    busy: () => {
      const now = performance.now();
      if (now - sampledAt >= BUSY_SAMPLE_MS) {
        const current = worker.performance.eventLoopUtilization();
        busy = worker.performance.eventLoopUtilization(current, sampled).utilization > BUSY_UTILIZATION;
        sampled = current;
        sampledAt = now;
      }
      return busy;
    },
    crashed,
    metrics: async () => {
      const id = ++metricsRequests;
      const answer = next(['metrics'], (m) => m.kind === 'metrics' && m.id === id);
      worker.postMessage({ kind: 'metrics', id });
      return (await answer).metrics;
    },
    stop: async () => {
      stopping = true;
      const stopped = next(['stopped']);
      worker.postMessage({ kind: 'stop' });
      await stopped;
      await stopServing();
      port1.close();
      await worker.terminate();
    },
  };
}
