/**
 * Addresses as numbers, for range lookups. IPv4 is parsed by hand: it runs
 * once per click, and split/parseInt would allocate. IPv6 ranges are compared
 * on their first 64 bits: every range the classifier knows is a /64 or wider.
 */

/** An IPv4 address (or an IPv4-mapped IPv6 one) as an unsigned 32-bit number; -1 when it is not one. */
export function ipv4Number(ip: string): number {
  let start = 0;
  if (ip.length > 7 && ip.charCodeAt(0) === 58 && ip.startsWith('::ffff:')) start = 7;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** The first 64 bits of an IPv6 address; null when it is not one (or is IPv4-mapped). */
export function ipv6High64(ip: string): bigint | null {
  if (!ip.includes(':') || ip.includes('.')) return null;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if (tail === undefined && left.length !== 8) return null;
  const groups =
    tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  let high = 0n;
  for (let i = 0; i < 4; i++) {
    const g = groups[i] as string;
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    high = (high << 16n) | BigInt(Number.parseInt(g, 16));
  }
  for (let i = 4; i < 8; i++) if (!/^[0-9a-f]{1,4}$/.test(groups[i] as string)) return null;
  return high;
}

/** A CIDR as an inclusive range of numbers: IPv4 as 32-bit numbers, IPv6 on its first 64 bits. */
export function cidrRange(
  cidr: string,
): { version: 4; start: number; end: number } | { version: 6; start: bigint; end: bigint } | null {
  const [address = '', bitsText] = cidr.trim().split('/');
  const v4 = ipv4Number(address);
  if (v4 >= 0) {
    const bits = bitsText === undefined ? 32 : Number(bitsText);
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) return null;
    const size = 2 ** (32 - bits);
    const start = Math.floor(v4 / size) * size;
    return { version: 4, start, end: start + size - 1 };
  }
  const v6 = ipv6High64(address);
  if (v6 === null) return null;
  const bits = Math.min(bitsText === undefined ? 128 : Number(bitsText), 64);
  if (!Number.isInteger(bits) || bits < 0) return null;
  const hostBits = BigInt(64 - bits);
  const start = (v6 >> hostBits) << hostBits;
  return { version: 6, start, end: start + (1n << hostBits) - 1n };
}
