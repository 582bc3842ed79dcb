import { describe, expect, it } from 'vitest';
import { signalInput, testContext } from '../testing.js';
import { scannerNetworkSignal } from './scanner-network.js';

const test = (over: Parameters<typeof signalInput>[0]) =>
  scannerNetworkSignal.test(signalInput(over), testContext);

describe('scanner_network signal', () => {
  it('fires for email security scanners by ASN (Proofpoint, Mimecast, Barracuda, Cisco, Google)', () => {
    expect(test({ ip: '148.163.128.10', asn: 26211 })).toBe(true);
    expect(test({ ip: '205.139.110.5', asn: 30031 })).toBe(true);
    expect(test({ ip: '209.222.82.5', asn: 15324 })).toBe(true);
    expect(test({ ip: '68.232.128.5', asn: 16417 })).toBe(true);
    expect(test({ ip: '66.249.66.1', asn: 15169 })).toBe(true);
  });

  it("fires for Microsoft's Exchange Online Protection ranges, not for the rest of Microsoft's network", () => {
    expect(test({ ip: '40.107.22.54', asn: 8075 })).toBe(true);
    expect(test({ ip: '2a01:111:f400:fe1e::1', asn: 8075 })).toBe(true);
    expect(test({ ip: '20.190.151.7', asn: 8075 })).toBe(false);
  });

  it('leaves home networks, and relay exits the operator listed, alone', () => {
    expect(test({})).toBe(false);
    expect(test({ ip: '172.224.226.9', asn: 15169 })).toBe(false);
  });
});
