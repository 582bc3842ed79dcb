import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Click ids
 * are generated per request, so entropy is drawn from the OS in 8 KiB pools
 * rather than one call per id, and hex digits come from a lookup table.
 */
const POOL_BYTES = 8_192;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomByte(): number {
  if (poolAt === POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++] as number;
}

export function uuidv7(now = Date.now()): string {
  const ms = now.toString(16).padStart(12, '0');
  const version = HEX[0x70 | (randomByte() & 0x0f)] as string;
  const variant = HEX[0x80 | (randomByte() & 0x3f)] as string;
  let rest = '';
  for (let i = 0; i < 9; i++) rest += HEX[randomByte()];
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${version}${rest.slice(0, 2)}-${variant}${rest.slice(2, 4)}-${rest.slice(4, 16)}`;
}
