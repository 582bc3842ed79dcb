import { describe, expect, it } from 'vitest';
import { ipNetwork, ipPrefix } from './ip-prefix.js';

describe('ipPrefix and ipNetwork', () => {
  it.each([
    ['81.2.69.142', '81.2.69.0/24', '81.2.69.0'],
    ['::ffff:81.2.69.142', '81.2.69.0/24', '81.2.69.0'],
    ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48', '2001:db8:85a3::'],
    ['2001:0db8:0000:0000::1', '2001:db8:0::/48', '2001:db8:0::'],
    ['not an ip', '', ''],
  ])('%s → %s, %s', (ip, prefix, network) => {
    expect(ipPrefix(ip)).toBe(prefix);
    expect(ipNetwork(ip)).toBe(network);
  });

  it('gives a network that is itself an address with the same prefix', () => {
    for (const ip of ['81.2.69.142', '2001:db8:85a3::8a2e:370:7334']) {
      expect(ipPrefix(ipNetwork(ip))).toBe(ipPrefix(ip));
    }
  });
});
