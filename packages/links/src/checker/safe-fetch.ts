import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { type AddressClass, addressClass } from '@linktrack/ip';

/** Refused whatever the settings: cloud metadata and link-local addresses. */
const ALWAYS_REFUSED = new Set<AddressClass>([
  'metadata',
  'link_local',
  'unspecified',
  'multicast',
  'reserved',
]);

export class RefusedAddressError extends Error {
  readonly code = 'LT_CHECK_REFUSED_ADDRESS';
  constructor(host: string, address: string, cls: AddressClass) {
    super(`${host} resolves to ${address}, a ${cls.replace('_', '-')} address`);
    this.name = 'RefusedAddressError';
  }
}

export function checkAddress(host: string, address: string, allowPrivate: boolean): void {
  const cls = addressClass(address);
  if (cls === null || cls === 'public') return;
  if (ALWAYS_REFUSED.has(cls) || !allowPrivate) throw new RefusedAddressError(host, address, cls);
}

/**
 * Resolves like the system does, then refuses the answer if any address is
 * not allowed. The connection uses the address checked here, so a name that
 * resolves differently a moment later (DNS rebinding) cannot slip through.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as LookupAddress[];
      try {
        for (const a of list) checkAddress(hostname, a.address, allowPrivate);
      } catch (refused) {
        return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

export interface FetchedPage {
  status: number;
  location: string | null;
  contentType: string;
  /** The start of the body (HTML pages only), for a meta refresh. */
  body: string;
}

const BODY_LIMIT = 256 * 1024;

/** One GET without following redirects, every address checked, bounded in time and body size. */
export function fetchOnce(
  url: URL,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<FetchedPage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  checkAddress(host, host, options.allowPrivate); // IP literals never reach the lookup
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        lookup: guardedLookup(options.allowPrivate),
        headers: {
          'user-agent': 'linktrack-check/1 (UTM survival checker)',
          accept: 'text/html,application/xhtml+xml,*/*;q=0.8',
        },
        timeout: options.timeoutMs,
      },
      (res: IncomingMessage) => {
        const contentType = String(res.headers['content-type'] ?? '');
        const location = res.headers.location ?? null;
        if (!contentType.includes('html')) {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location, contentType, body: '' });
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
          if (body.length >= BODY_LIMIT) res.destroy();
        });
        const done = () =>
          resolve({ status: res.statusCode ?? 0, location, contentType, body: body.slice(0, BODY_LIMIT) });
        res.on('end', done);
        res.on('close', done);
        res.on('error', reject);
      },
    );
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.on('close', () => clearTimeout(deadline));
    req.end();
  });
}
