import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { isScannerReferrer, scannerReferrerSignal } from './scanner-referrer.js';

describe('scanner_referrer signal', () => {
  it('fires for link-protection referrers', () => {
    for (const host of [
      'nam12.safelinks.protection.outlook.com',
      'eur03.safelinks.protection.outlook.com',
      'urldefense.com',
      'urldefense.proofpoint.com',
      'protect-us.mimecast.com',
      'protect2.mimecast.com',
      'linkprotect.cudasvc.com',
      'secure-web.cisco.com',
    ])
      expect(isScannerReferrer(host), host).toBe(true);
  });

  it('does not fire for ordinary referrers or none', () => {
    for (const host of [
      '',
      'mimecast.com',
      'outlook.live.com',
      'news.example',
      'protection.outlook.com.evil.example',
    ])
      expect(isScannerReferrer(host), host).toBe(false);
    expect(scannerReferrerSignal.test(signalInput({ referrerDomain: 'urldefense.com' }), testContext)).toBe(
      true,
    );
  });
});
