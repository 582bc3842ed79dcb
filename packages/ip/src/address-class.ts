import { BlockList, isIP } from 'node:net';
import { unmapIpv4 } from './ip-prefix.js';

/**
 * What kind of address an IP is, for deciding whether linktrack may send a
 * visitor or a request there. Cloud metadata endpoints are their own class:
 * they are refused even where private targets are allowed.
 */
export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link_local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

function list(entries: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const b = new BlockList();
  for (const [net, bits, type] of entries) b.addSubnet(net, bits, type);
  return b;
}

const METADATA = list([
  ['169.254.169.254', 32, 'ipv4'], // AWS, GCP, Azure, OpenStack
  ['169.254.170.2', 32, 'ipv4'], // AWS ECS task metadata
  ['100.100.100.200', 32, 'ipv4'], // Alibaba Cloud
  ['fd00:ec2::254', 128, 'ipv6'], // AWS over IPv6
]);
const LOOPBACK = list([
  ['127.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
]);
const LINK_LOCAL = list([
  ['169.254.0.0', 16, 'ipv4'],
  ['fe80::', 10, 'ipv6'],
]);
const PRIVATE = list([
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['fc00::', 7, 'ipv6'], // unique local
]);
const UNSPECIFIED = list([
  ['0.0.0.0', 8, 'ipv4'],
  ['::', 128, 'ipv6'],
]);
const MULTICAST = list([
  ['224.0.0.0', 4, 'ipv4'],
  ['ff00::', 8, 'ipv6'],
]);
const RESERVED = list([
  ['240.0.0.0', 4, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
]);

const ORDER: [AddressClass, BlockList][] = [
  ['metadata', METADATA],
  ['loopback', LOOPBACK],
  ['link_local', LINK_LOCAL],
  ['private', PRIVATE],
  ['unspecified', UNSPECIFIED],
  ['multicast', MULTICAST],
  ['reserved', RESERVED],
];

/** The class of an IP literal (IPv4-mapped IPv6 counts as its IPv4); null for anything else. */
export function addressClass(ip: string): AddressClass | null {
  const address = unmapIpv4(ip.replace(/^\[|\]$/g, ''));
  const version = isIP(address);
  if (version === 0) return null;
  const type = version === 4 ? 'ipv4' : 'ipv6';
  for (const [name, blocks] of ORDER) if (blocks.check(address, type)) return name;
  return 'public';
}
