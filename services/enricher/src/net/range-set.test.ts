import { describe, expect, it } from 'vitest';
import { cidrRange, ipv4Number, ipv6High64 } from './ip-number.js';
import { RangeSet } from './range-set.js';

describe('addresses as numbers', () => {
  it('parses IPv4, IPv4-mapped IPv6, and refuses anything else', () => {
    expect(ipv4Number('1.2.3.4')).toBe(0x01020304);
    expect(ipv4Number('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4Number('::ffff:10.0.0.1')).toBe(0x0a000001);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', 'a.b.c.d', '', '::1'])
      expect(ipv4Number(bad), bad).toBe(-1);
  });

  it('takes the first 64 bits of IPv6', () => {
    expect(ipv6High64('2001:db8::1')).toBe(0x20010db800000000n);
    expect(ipv6High64('2a01:111:f400:1:2:3:4:5')).toBe(0x2a010111f4000001n);
    expect(ipv6High64('1.2.3.4')).toBeNull();
    expect(ipv6High64('2001:zz::1')).toBeNull();
  });

  it('turns CIDRs into inclusive ranges', () => {
    expect(cidrRange('10.1.2.3/8')).toEqual({ version: 4, start: 0x0a000000, end: 0x0affffff });
    expect(cidrRange('2001:db8::/32')).toEqual({
      version: 6,
      start: 0x20010db800000000n,
      end: 0x20010db8ffffffffn,
    });
    expect(cidrRange('nonsense')).toBeNull();
  });
});

describe('RangeSet', () => {
  const set = RangeSet.of(['40.107.0.0/16', '52.100.0.0/14', '2a01:111:f400::/48']);
  it('finds addresses inside its ranges only', () => {
    expect(set.has('40.107.3.4')).toBe(true);
    expect(set.has('52.103.255.255')).toBe(true);
    expect(set.has('52.104.0.0')).toBe(false);
    expect(set.has('40.106.255.255')).toBe(false);
    expect(set.has('2a01:111:f400:7::1')).toBe(true);
    expect(set.has('2a01:111:f401::1')).toBe(false);
    expect(set.has('garbage')).toBe(false);
  });

  it('finds a narrow range inside a wide one, and the wide one around it', () => {
    const nested = RangeSet.of([]);
    expect(nested.find('1.1.1.1')).toBe(-1);
    const b = RangeSet.builder();
    b.addCidr('10.0.0.0/8', 1);
    b.addCidr('10.1.0.0/16', 2);
    const s = b.build();
    expect(s.find('10.1.2.3')).toBe(2);
    expect(s.find('10.2.0.1')).toBe(1);
  });
});
