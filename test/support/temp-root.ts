import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One temporary directory for the whole test run, removed when it ends. Node's
 * tmpdir() follows TMPDIR, so every data directory, spool and broker a test
 * makes lands here and goes with it, even when the test failed half way.
 * Projects inherit this setup from the root config; only the first one makes the directory.
 */
export default function setup(): () => void {
  if (process.env.LINKTRACK_TEST_TMPDIR) return () => {};
  const root = mkdtempSync(join(tmpdir(), 'linktrack-test-'));
  process.env.LINKTRACK_TEST_TMPDIR = root;
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}
