import type { Signal } from '../input.js';

/** Hosts of link-protection services: a mail's links are rewritten through them and checked from there. */
export const SCANNER_REFERRER_HOSTS: ReadonlySet<string> = new Set([
  'urldefense.com',
  'urldefense.proofpoint.com',
  'urldefense.us',
  'linkprotect.cudasvc.com',
  'secure-web.cisco.com',
  'protect2.fireeye.com',
  'clicktime.symantec.com',
  'url.avanan.click',
  'urlsand.esvalabs.com',
  'shared.outlook.inky.com',
  'link.edgepilot.com',
  'scanner.topsec.com',
]);

/** Suffixes: every regional host of these services (nam12.safelinks.protection.outlook.com, …). */
const SUFFIXES = ['.safelinks.protection.outlook.com', '.urldefense.com', '.cudasvc.com'];

/** Mimecast's URL Protect runs on protect-<region>.mimecast.com and protect<n>.mimecast.com. */
const MIMECAST = /^protect[\w-]*\.mimecast\.com$/;

export function isScannerReferrer(host: string): boolean {
  if (host === '') return false;
  if (SCANNER_REFERRER_HOSTS.has(host) || host === 'safelinks.protection.outlook.com') return true;
  for (const suffix of SUFFIXES) if (host.endsWith(suffix)) return true;
  return MIMECAST.test(host);
}

export const scannerReferrerSignal: Signal = {
  name: 'scanner_referrer',
  test: (input) => isScannerReferrer(input.referrerDomain),
};
