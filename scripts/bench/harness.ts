import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export interface Measured {
  name: string;
  requestsPerSec: number;
  p99Ms: number;
  non3xx: number;
  /** Redirects answered, i.e. clicks the target's pipeline will have to store. */
  redirects: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts a child process and resolves once a line of its output matches `ready`. */
export function startChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) {
        // Callers read addresses from what the child printed while starting.
        (child as ChildProcess & { startupOutput?: string }).startupOutput = output;
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** One autocannon run: -c connections, -p 1, a fixed duration. */
export async function measure(
  name: string,
  url: string,
  seconds: number,
  connections = 100,
): Promise<Measured> {
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
  });
  return {
    name,
    requestsPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    non3xx: result.non2xx - (result['3xx'] ?? 0),
    redirects: result['3xx'] ?? 0,
  };
}

export function average(runs: Measured[]): Measured {
  const n = runs.length;
  return {
    name: runs[0]?.name ?? '',
    requestsPerSec: runs.reduce((s, r) => s + r.requestsPerSec, 0) / n,
    p99Ms: runs.reduce((s, r) => s + r.p99Ms, 0) / n,
    non3xx: runs.reduce((s, r) => s + r.non3xx, 0),
    redirects: runs.reduce((s, r) => s + r.redirects, 0),
  };
}
