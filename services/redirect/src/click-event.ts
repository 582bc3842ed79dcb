import type { ClickEvent, LinkEvent, VisitType } from '@linktrack/streams';
import type { FastifyRequest } from 'fastify';
import { uuidv7 } from './uuid-v7.js';

/** The request headers the enricher's bot and device signals read. */
const SIGNAL_HEADERS = [
  'sec-fetch-site',
  'sec-fetch-mode',
  'sec-fetch-dest',
  'sec-fetch-user',
  'sec-purpose',
  'purpose',
  'x-purpose',
  'x-moz',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'via',
  'from',
] as const;

/** Everything the redirect knows about one request; no lookups, no I/O. */
export function buildClickEvent(
  request: FastifyRequest,
  slug: string,
  visitType: VisitType,
  link?: LinkEvent,
): ClickEvent {
  const h = request.headers;
  const headers: Record<string, string> = {};
  for (const name of SIGNAL_HEADERS) {
    const value = h[name];
    if (value !== undefined) headers[name] = String(value);
  }
  const found = visitType === 'redirect';
  return {
    click_id: uuidv7(),
    ts: Date.now(),
    slug,
    method: request.method,
    ip: request.ip ?? '',
    user_agent: h['user-agent'] ?? '',
    referer: h.referer ?? '',
    accept_language: h['accept-language'] ?? '',
    query: rawQuery(request.url),
    headers,
    link_found: found,
    destination: found ? (link?.destination ?? '') : '',
    visit_type: visitType,
    trigger: 'link',
    // Only a link that redirected can be a honeypot hit; an orphan visit names no link.
    honeypot: found && link?.honeypot === true,
  };
}

export function rawQuery(url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? '' : url.slice(at + 1);
}
