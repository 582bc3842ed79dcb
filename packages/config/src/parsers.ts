import { isIP } from 'node:net';
import type { ConfigProblem } from './errors.js';

/**
 * Small parsers that record a problem instead of throwing, so one pass over
 * the environment reports every bad variable at once.
 */
export class EnvReader {
  readonly problems: ConfigProblem[] = [];
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  fail(variable: string, message: string): void {
    this.problems.push({ variable, message });
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max) {
      this.fail(name, `must be an integer from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.fail(name, `must be true or false, got "${value}"`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  url(name: string, fallback: string | null, protocols: readonly string[]): string | null {
    const value = this.raw(name) ?? fallback;
    if (value === null) return null;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.fail(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return value.replace(/\/+$/, '');
    } catch {
      this.fail(name, `must be an absolute URL, got "${value}"`);
      return fallback;
    }
  }

  list(name: string): string[] | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length > 0 ? items : null;
  }
}

/** Fastify's trustProxy accepts a boolean, a hop count, or a list of addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

export function parseTrustProxy(reader: EnvReader, name: string): TrustProxy {
  const value = reader.raw(name);
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (['true', 'false', 'yes', 'no', 'on', 'off'].includes(lower)) return reader.boolean(name, false);
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim());
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length > 0) {
    reader.fail(
      name,
      `must be true, false, a hop count, or IPs/CIDRs; "${bad.join(', ')}" is not an address`,
    );
    return false;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n <= (version === 4 ? 32 : 128);
}
