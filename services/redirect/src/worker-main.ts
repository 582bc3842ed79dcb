import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PortBus } from '@linktrack/bus';
import { createCodecs } from '@linktrack/streams';
import { createLogger, createMetrics, registerThreadMetrics } from '@linktrack/telemetry';
import { type RedirectSettings, startRedirect } from './service.js';

/** Entry point of the redirect's own thread in the embedded default; see worker.ts. */
interface WorkerInput {
  settings: RedirectSettings;
  logLevel: string;
  busPort: MessagePort;
}

const input = workerData as WorkerInput;
const logger = createLogger(input.logLevel, { service: 'redirect' });
const bus = new PortBus(input.busPort);

try {
  const metrics = createMetrics();
  registerThreadMetrics(metrics, 'redirect');
  const redirect = await startRedirect({
    bus,
    codecs: createCodecs(),
    logger,
    metrics,
    settings: input.settings,
  });
  parentPort?.on('message', async (message: { kind: string; id?: number }) => {
    if (message.kind === 'metrics') {
      const json = await metrics.registry.getMetricsAsJSON();
      parentPort?.postMessage({ kind: 'metrics', id: message.id, metrics: json });
      return;
    }
    if (message.kind !== 'stop') return;
    await redirect.stop();
    parentPort?.postMessage({ kind: 'stopped' });
  });
  parentPort?.postMessage({ kind: 'ready', url: redirect.url });
} catch (err) {
  const e = err as Error & { code?: string };
  parentPort?.postMessage({ kind: 'failed', message: e.message, code: e.code ?? null });
}
