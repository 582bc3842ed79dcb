#!/usr/bin/env node
// linktrack is written in TypeScript and runs through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../packages/cli/src/main.ts');

const shutdown = new Promise((resolve) => {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => resolve(signal));
});
process.exitCode = await main(process.argv.slice(2), process.env, {
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
  progress: (text) => process.stderr.write(text),
  tty: process.stderr.isTTY === true,
  shutdown,
});
// Timers (unref'd) and sockets are closed by now; exit even if a library left a handle open.
process.exit(process.exitCode);
