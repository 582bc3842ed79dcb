import { UA } from '@linktrack/test-support';
import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { datacenterSignal } from './datacenter.js';

const test = (over: Parameters<typeof signalInput>[0]) =>
  datacenterSignal.test(signalInput(over), testContext);

describe('datacenter signal', () => {
  it('fires for hosting and cloud networks, by ASN or by what the organisation calls itself', () => {
    expect(test({ ip: '3.5.140.2', asn: 16509, asnOrg: 'Amazon.com, Inc.' })).toBe(true);
    expect(test({ ip: '159.203.1.1', asn: 14061, asnOrg: 'DigitalOcean, LLC' })).toBe(true);
    expect(test({ ip: '5.9.1.1', asn: 24940, asnOrg: 'Hetzner Online GmbH' })).toBe(true);
    expect(test({ ip: '192.0.2.1', asn: 64_999, asnOrg: 'Example Hosting Ltd' })).toBe(true);
  });

  it('leaves home and mobile networks alone', () => {
    expect(test({})).toBe(false);
    expect(test({ ip: '73.12.1.1', asn: 7922, asnOrg: 'Comcast Cable Communications, LLC' })).toBe(false);
    expect(test({ asn: 0, asnOrg: '' })).toBe(false);
  });

  it('takes a real browser from a privacy relay network (iCloud Private Relay on Akamai or Cloudflare) for a person', () => {
    const relay = { ip: '172.225.10.4', asn: 36183, asnOrg: 'Akamai Technologies, Inc.' };
    expect(test(relay)).toBe(false);
    expect(test({ ip: '104.28.5.1', asn: 13335, asnOrg: 'Cloudflare, Inc.', userAgent: UA.iphone })).toBe(
      false,
    );
    // The same network without a browser's headers, or with a script's agent, is a machine.
    expect(test({ ...relay, acceptLanguage: '', headers: {} })).toBe(true);
    expect(test({ ...relay, userAgent: UA.curl })).toBe(true);
  });

  it('never fires for a relay exit the operator listed', () => {
    expect(
      test({ ip: '172.224.226.5', asn: 16509, asnOrg: 'Amazon.com, Inc.', acceptLanguage: '', headers: {} }),
    ).toBe(false);
  });
});
