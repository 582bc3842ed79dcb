// The cost model's measurements: CPU seconds per process and per thread, and resident memory.
// Linux /proc; elsewhere the figures are absent and the benches print only rates.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** User+system CPU seconds of a process so far (every thread: the engine's and GC's too). */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Resident memory now and its peak over the process's life (VmRSS, VmHWM), in MB. */
export function rssMb(pid: number | undefined): { now: number; peak: number } | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** CPU seconds per thread of a linktrack process, from its internal /metrics (each thread reports its own). */
export async function threadCpuSeconds(opsUrl: string | null): Promise<Record<string, number>> {
  if (!opsUrl) return {};
  const text = await (await fetch(`${opsUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^linktrack_thread_cpu_seconds_total\{thread="([^"]+)"\} ([\d.e+-]+)$/gm))
    out[m[1] as string] = Number(m[2]);
  return out;
}

/** One metric's value (summed over its label sets) from a linktrack process's /metrics. */
export async function metricValue(opsUrl: string, name: string, labels = ''): Promise<number> {
  return valueIn(await (await fetch(`${opsUrl}/metrics`)).text(), name, labels);
}

/** One metric's value (summed over the label sets that contain `labels`) in a /metrics text. */
export function valueIn(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? ([\\d.e+-]+)$`, 'gm')))
    if (!labels || (m[1] ?? '').includes(labels)) sum += Number(m[2]);
  return sum;
}

export interface Measured {
  pid?: number;
  /** The internal listener, for per-thread figures; null for processes that are not linktrack. */
  opsUrl?: string | null;
}

export interface CpuSnapshot {
  processes: Record<string, number | null>;
  threads: Record<string, Record<string, number>>;
}

/** CPU of every named process (and, for linktrack processes, of each thread) at one moment. */
export async function snapshot(targets: Record<string, Measured>): Promise<CpuSnapshot> {
  const processes: CpuSnapshot['processes'] = {};
  const threads: CpuSnapshot['threads'] = {};
  for (const [name, t] of Object.entries(targets)) {
    processes[name] = processCpuSeconds(t.pid);
    threads[name] = await threadCpuSeconds(t.opsUrl ?? null).catch(() => ({}));
  }
  return { processes, threads };
}

/** CPU µs per event between two snapshots, per process and per thread ("redirect/main"). */
export function perEvent(before: CpuSnapshot, after: CpuSnapshot, events: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (events <= 0) return out;
  for (const [name, end] of Object.entries(after.processes)) {
    const start = before.processes[name];
    if (end === null || start === null || start === undefined) continue;
    out[name] = ((end - start) * 1e6) / events;
    for (const [thread, tEnd] of Object.entries(after.threads[name] ?? {})) {
      const tStart = before.threads[name]?.[thread] ?? 0;
      out[`${name}/${thread}`] = ((tEnd - tStart) * 1e6) / events;
    }
  }
  return out;
}

export const fmt = (n: number | undefined, digits = 1) =>
  n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);

/** Waits until the 1-minute load average is below `max` (other work on the machine skews every figure), at most `timeoutMs`. */
export async function quietMachine(max = 0.8, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let load = loadavg()[0] as number;
  while (load >= max && Date.now() < deadline) {
    process.stdout.write(`\rwaiting for a quiet machine: load ${load.toFixed(2)} ≥ ${max}…`);
    await new Promise((r) => setTimeout(r, 5_000));
    load = loadavg()[0] as number;
  }
  if (load >= max) console.log(`\nthe machine stayed busy (load ${load.toFixed(2)}): figures are noisier`);
  else console.log(`load ${load.toFixed(2)}: measuring`);
  return load;
}
