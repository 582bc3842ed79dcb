import { isIP } from 'node:net';

/**
 * Keeps the network, never the host: IPv4 /24, IPv6 /48. IPv4-mapped IPv6
 * addresses (::ffff:a.b.c.d, from dual-stack sockets) count as IPv4.
 */
export function ipPrefix(ip: string): string {
  const address = unmapIpv4(ip);
  const version = isIP(address);
  // Once per click: a slice, not a split and join.
  if (version === 4) return `${address.slice(0, address.lastIndexOf('.'))}.0/24`;
  if (version === 6) return `${expandIpv6(address).slice(0, 3).join(':')}::/48`;
  return '';
}

/**
 * The first address of the client's /24 or /48: a valid IP that geolocates
 * like the client's network and yields the same prefix, without naming the
 * host. '' for anything that is not an IP.
 */
export function ipNetwork(ip: string): string {
  const prefix = ipPrefix(ip);
  return prefix.slice(0, prefix.lastIndexOf('/'));
}

export function unmapIpv4(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : ip;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = address.includes('::') ? [...left, ...Array(missing).fill('0'), ...right] : left;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
