import type { DeviceType } from '@linktrack/streams';
import type { Enrichment } from './enrichment.js';

const DESKTOP_PLATFORMS = new Set(['"Windows"', '"macOS"', '"Linux"', '"Chrome OS"', '"Chromium OS"']);

/**
 * Client Hints refine what the user agent says: Chrome's reduced user agent
 * hides the model, but Sec-CH-UA-Mobile says whether it is a phone, and an
 * Android browser that says it is not one is a tablet.
 */
export function deviceFromHints(
  fromAgent: DeviceType,
  headers: Readonly<Record<string, string>>,
): DeviceType {
  const mobile = headers['sec-ch-ua-mobile'];
  if (mobile === undefined || fromAgent === 'bot') return fromAgent;
  if (mobile === '?1') return 'mobile';
  if (mobile !== '?0') return fromAgent;
  const platform = headers['sec-ch-ua-platform'];
  if (platform === '"Android"') return 'tablet';
  if (platform !== undefined && DESKTOP_PLATFORMS.has(platform)) return 'desktop';
  return fromAgent === 'mobile' ? 'tablet' : fromAgent;
}

/** Device, OS and browser from the user agent (in-app browsers named after their app), refined by Client Hints. */
export const deviceEnrichment: Enrichment = {
  name: 'device',
  run: (click, ctx) => {
    const { device_type, os, browser, inApp } = ctx.userAgents.parse(click.user_agent);
    return { device_type: inApp ? device_type : deviceFromHints(device_type, click.headers), os, browser };
  },
};
