import { Worker } from 'node:worker_threads';

/**
 * Watches the main thread from a thread of its own. If the main thread stops
 * beating (an out-of-memory abort that never returns, a busy loop) for
 * `stallSeconds`, the watchdog writes one line to stderr and kills the
 * process, so a supervisor restarts it instead of it hanging half-alive.
 * The heartbeat is also handed to the redirect thread, which stops saying
 * "ready" as soon as the main thread goes quiet.
 */
export interface Watchdog {
  /** Slot 0: the main thread's last beat, ms since the epoch. */
  heartbeat: SharedArrayBuffer;
  stop(): Promise<void>;
}

const BEAT_MS = 500;

// Plain CommonJS for an eval'd worker: it must not depend on the loader the main thread uses.
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new BigInt64Array(workerData.heartbeat);
setInterval(() => {
  const silent = Date.now() - Number(Atomics.load(beat, 0));
  if (silent < workerData.stallMs) return;
  writeSync(2, JSON.stringify({ level: 60, time: Date.now(), event: 'main_thread_stalled', silent_ms: silent,
    msg: 'the main thread stopped responding; exiting so that a supervisor restarts linktrack' }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, ${BEAT_MS});
`;

export function startWatchdog(stallSeconds: number): Watchdog {
  const heartbeat = new SharedArrayBuffer(8);
  const beat = new BigInt64Array(heartbeat);
  const tick = () => Atomics.store(beat, 0, BigInt(Date.now()));
  tick();
  const timer = setInterval(tick, BEAT_MS);
  timer.unref();
  if (stallSeconds <= 0) {
    return { heartbeat, stop: async () => clearInterval(timer) };
  }
  const worker = new Worker(WATCHER, { eval: true, workerData: { heartbeat, stallMs: stallSeconds * 1000 } });
  worker.unref();
  return {
    heartbeat,
    stop: async () => {
      clearInterval(timer);
      await worker.terminate();
    },
  };
}
