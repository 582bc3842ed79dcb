import { CONFIRM } from './parts/confirm.js';
import { CONVERT } from './parts/convert.js';
import { CORE } from './parts/core.js';

/**
 * The features of /t.js, in order, each a part under parts/ that may use the
 * core's helpers. A new one is one more part added here, and a collect type
 * on the server.
 */
export const PARTS: readonly string[] = [CORE, CONFIRM, CONVERT];

export interface TrackerOptions {
  /** The query parameter carrying the click id (LINKTRACK_CLICK_ID_PARAM). */
  clickIdParam: string;
}

/** The click id, first-party, in the site's localStorage (the touches have their own key: parts/convert.ts). */
export const STORAGE_KEY = 'lt_cid';

/**
 * The first-party script, about 1 KB: an IIFE that finds its collect endpoint
 * from its own URL (the redirect host serving it), so sites include it with
 * one tag and no configuration.
 */
export function buildTrackerScript(options: TrackerOptions, parts: readonly string[] = PARTS): string {
  const prelude =
    `var P=${JSON.stringify(options.clickIdParam)},K=${JSON.stringify(STORAGE_KEY)},` +
    `S=d.currentScript,E=(S&&S.src?new URL(S.src).origin:"")+"/v1/collect";\n`;
  return `/* linktrack first-party script: README "Human confirmation", "Conversions" */\n(function(w,d){"use strict";\n${prelude}${parts.join('')}})(window,document);\n`;
}
