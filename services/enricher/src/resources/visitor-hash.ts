import { createHmac, hash } from 'node:crypto';

/**
 * Unique visitors without keeping anyone's address, as Plausible counts them:
 * visitor_hash = SHA-256(daily salt, client address, user agent), cut to 16
 * bytes. The daily salt is HMAC-SHA256(secret, UTC day of the click), so every
 * enricher instance given the same secret makes the same hash, the salt
 * changes at midnight UTC (yesterday's visitors cannot be followed into today),
 * and neither the secret nor a salt is ever written anywhere but the secret's
 * own place (LINKTRACK_VISITOR_SALT_SECRET, or a file in the data dir).
 */
export interface VisitorHasher {
  hash(ts: number, ip: string, userAgent: string): string;
}

const DAY_MS = 86_400_000;

export function createVisitorHasher(secret: string): VisitorHasher {
  let day = -1;
  let salt = '';
  return {
    hash(ts, ip, userAgent) {
      if (ip === '') return '';
      const d = Math.floor(ts / DAY_MS);
      if (d !== day) {
        // One HMAC per day (or per batch that straddles midnight), not per click.
        salt = createHmac('sha256', secret)
          .update(new Date(d * DAY_MS).toISOString().slice(0, 10))
          .digest('hex');
        day = d;
      }
      return hash('sha256', `${salt}\n${ip}\n${userAgent}`, 'hex').slice(0, 32);
    },
  };
}
