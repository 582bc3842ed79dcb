import type { DeviceType } from '@linktrack/streams';
import { UAParser } from 'ua-parser-js';
import { agentFacts } from '../classifier/agent.js';
import type { AgentFacts } from '../classifier/input.js';
import { inAppBrowser } from './in-app.js';
import { memoize } from './lru.js';

export interface ParsedUserAgent {
  device_type: DeviceType;
  os: string;
  browser: string;
  /** The browser is an app's (Instagram, Facebook, TikTok, LinkedIn, Gmail): a person on a phone. */
  inApp: boolean;
  /** isbot's verdict, cached with the parse: its pattern is one of the costliest steps per click. */
  crawler: boolean;
  /** What the classifier reads from the user agent, worked out once per user agent. */
  agent: AgentFacts;
}

export interface UserAgentParser {
  parse(userAgent: string): ParsedUserAgent;
}

const NONE: ParsedUserAgent = {
  device_type: 'other',
  os: '',
  browser: '',
  inApp: false,
  crawler: false,
  agent: { crawler: false, preview: false, headless: false, browser: false },
};

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
  const parsedBrowser = result.browser.name ?? '';
  const os = result.os.name ?? '';
  const app = inAppBrowser(userAgent, parsedBrowser);
  const agent = agentFacts(userAgent, parsedBrowser);
  const type = deviceType(result.device.type, parsedBrowser, os);
  return {
    // An app's browser is a phone's unless the agent says tablet.
    device_type: app !== '' && type !== 'tablet' ? 'mobile' : type,
    os,
    browser: app !== '' ? app : parsedBrowser,
    inApp: app !== '',
    crawler: agent.crawler,
    agent,
  };
}

/** ua-parser-js leaves desktops without a device type; a known browser or OS implies one. */
function deviceType(type: string | undefined, browser: string, os: string): DeviceType {
  if (type === 'mobile') return 'mobile';
  if (type === 'tablet') return 'tablet';
  if (type === undefined && (browser !== '' || os !== '')) return 'desktop';
  return 'other';
}
