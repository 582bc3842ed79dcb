import { cidrRange, ipv4Number, ipv6High64 } from './ip-number.js';

/**
 * Address ranges with a value each (an ASN, a scanner's index), found by
 * binary search over sorted starts: IPv4 in typed arrays (the ASN database
 * has 400,000 ranges), IPv6 on 64-bit starts.
 */
export class RangeSet {
  private constructor(
    private readonly v4Start: Uint32Array,
    private readonly v4End: Uint32Array,
    private readonly v4Value: Int32Array,
    private readonly v6Start: BigUint64Array,
    private readonly v6End: BigUint64Array,
    private readonly v6Value: Int32Array,
  ) {}

  get size(): number {
    return this.v4Start.length + this.v6Start.length;
  }

  /** The value of the range holding `ip`, or -1. */
  find(ip: string): number {
    const v4 = ipv4Number(ip);
    if (v4 >= 0) return search(this.v4Start, this.v4End, this.v4Value, v4);
    const v6 = ipv6High64(ip);
    return v6 === null ? -1 : search(this.v6Start, this.v6End, this.v6Value, v6);
  }

  has(ip: string): boolean {
    return this.find(ip) >= 0;
  }

  static builder(): RangeSetBuilder {
    return new RangeSetBuilder();
  }

  static of(cidrs: readonly string[], value = 0): RangeSet {
    const b = RangeSet.builder();
    for (const c of cidrs) b.addCidr(c, value);
    return b.build();
  }

  /** @internal */
  static from(
    v4: { start: number; end: number; value: number }[],
    v6: { start: bigint; end: bigint; value: number }[],
  ): RangeSet {
    v4.sort((a, b) => a.start - b.start);
    v6.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    return new RangeSet(
      Uint32Array.from(v4, (r) => r.start),
      Uint32Array.from(v4, (r) => r.end),
      Int32Array.from(v4, (r) => r.value),
      BigUint64Array.from(v6, (r) => r.start),
      BigUint64Array.from(v6, (r) => r.end),
      Int32Array.from(v6, (r) => r.value),
    );
  }
}

export class RangeSetBuilder {
  private readonly v4: { start: number; end: number; value: number }[] = [];
  private readonly v6: { start: bigint; end: bigint; value: number }[] = [];

  /** Adds a CIDR; false when it is not one. */
  addCidr(cidr: string, value = 0): boolean {
    const range = cidrRange(cidr);
    if (!range) return false;
    if (range.version === 4) this.v4.push({ start: range.start, end: range.end, value });
    else this.v6.push({ start: range.start, end: range.end, value });
    return true;
  }

  addV4(start: number, end: number, value: number): void {
    this.v4.push({ start, end, value });
  }

  addV6(start: bigint, end: bigint, value: number): void {
    this.v6.push({ start, end, value });
  }

  build(): RangeSet {
    return RangeSet.from(this.v4, this.v6);
  }
}

/**
 * The last range starting at or before `x`, if it reaches `x`. Overlapping
 * ranges (a /16 and a /24 inside it) are rare in these lists; where they occur
 * the narrower one, starting later, wins, and the wider one is also tried.
 */
function search<T extends number | bigint>(
  starts: ArrayLike<T>,
  ends: ArrayLike<T>,
  values: Int32Array,
  x: T,
): number {
  let lo = 0;
  let hi = starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] as T) <= x) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Walk back over a few earlier ranges for a wider one that contains x.
  for (let i = at, tries = 0; i >= 0 && tries < 4; i--, tries++) {
    if ((ends[i] as T) >= x) return values[i] as number;
  }
  return -1;
}
