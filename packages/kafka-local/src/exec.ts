import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  output: string;
  /** Set when the executable could not be started at all (ENOENT: not installed). */
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a command to completion, collecting stdout and stderr together. */
export function exec(command: string, args: string[], cwd?: string): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', (spawnError: NodeJS.ErrnoException) => resolve({ code: null, output, spawnError }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The last lines of a command's output, for error messages. */
export function tail(output: string, lines = 15): string {
  return output.trim().split('\n').slice(-lines).join('\n');
}
