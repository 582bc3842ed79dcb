import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Counter } from 'prom-client';
import type { Metrics } from './metrics.js';

/**
 * CPU seconds (user + system) the calling thread has used so far: Linux's
 * /proc/thread-self/stat, read from the thread itself. null elsewhere.
 * Worker threads all show as "node" from outside; only a thread knows its own line.
 */
export function threadCpuSeconds(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Per-thread cost, for the benchmarks' cost model and for operators: which
 * thread of the process (the redirect's, the main one with the pipeline)
 * uses the CPU. Registered by each thread on its own registry; the process's
 * /metrics merges them.
 */
export function registerThreadMetrics(metrics: Metrics, thread: string): void {
  const registers = [metrics.registry];
  new Counter({
    name: 'linktrack_thread_cpu_seconds_total',
    help: 'CPU time (user + system) used by one thread of the process',
    labelNames: ['thread'] as const,
    registers,
    collect() {
      const seconds = threadCpuSeconds();
      this.reset();
      if (seconds !== null) this.inc({ thread }, seconds);
    },
  });
  new Counter({
    name: 'linktrack_event_loop_busy_seconds_total',
    help: "Time one thread's event loop spent running code, not waiting (event loop utilization)",
    labelNames: ['thread'] as const,
    registers,
    collect() {
      this.reset();
      this.inc({ thread }, performance.eventLoopUtilization().active / 1_000);
    },
  });
}
