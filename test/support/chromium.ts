import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
export const CHROMIUM = process.env.LINKTRACK_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A test that needs a real browser: skipped with its reason where Chromium is
 * not installed, except under CI=true, where a missing browser is a broken build.
 */
export const browserIt: typeof it = ((name: string, fn: () => Promise<void>, timeout?: number) => {
  if (existsSync(CHROMIUM)) return it(name, fn, timeout);
  const reason = `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true')
    return it(name, () => {
      throw new Error(reason);
    });
  return it.skip(`${name} (skipped: ${reason})`, fn);
}) as typeof it;

/** Flags for a headless Chromium that talks to nothing but the test's servers, and a fresh profile. */
export function chromiumLaunch(): { userDataDir: string; args: string[] } {
  return {
    userDataDir: mkdtempSync(join(tmpdir(), 'lt-chromium-')),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
