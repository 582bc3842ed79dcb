import type { DeviceType } from '@linktrack/streams';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';
import { memoize } from './lru.js';

export interface ParsedUserAgent {
  device_type: DeviceType;
  os: string;
  browser: string;
  /** isbot's verdict, cached with the parse: its pattern is one of the costliest steps per click. */
  crawler: boolean;
}

export interface UserAgentParser {
  parse(userAgent: string): ParsedUserAgent;
}

const NONE: ParsedUserAgent = { device_type: 'other', os: '', browser: '', crawler: false };

/**
 * ua-parser-js v1 (MIT) behind an LRU cache: traffic repeats a few thousand
 * user agents, and parsing is the costliest step per click.
 */
export function createUserAgentParser(cacheSize = 10_000): UserAgentParser {
  const parser = new UAParser();
  const cached = memoize((userAgent) => parseOnce(parser, userAgent), cacheSize);
  return { parse: (userAgent) => (userAgent === '' ? NONE : cached(userAgent)) };
}

function parseOnce(parser: UAParser, userAgent: string): ParsedUserAgent {
  const result = parser.setUA(userAgent).getResult();
  const browser = result.browser.name ?? '';
  const os = result.os.name ?? '';
  return { device_type: deviceType(result.device.type, browser, os), os, browser, crawler: isbot(userAgent) };
}

/** ua-parser-js leaves desktops without a device type; a known browser or OS implies one. */
function deviceType(type: string | undefined, browser: string, os: string): DeviceType {
  if (type === 'mobile') return 'mobile';
  if (type === 'tablet') return 'tablet';
  if (type === undefined && (browser !== '' || os !== '')) return 'desktop';
  return 'other';
}
