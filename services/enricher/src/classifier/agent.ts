import { isbot } from 'isbot';
import type { AgentFacts } from './input.js';
import { isHeadlessAgent } from './signals/headless.js';
import { isPreviewAgent } from './signals/preview.js';

/** What a user agent says about its client; the user-agent cache keeps it with the parse. */
export function agentFacts(userAgent: string, browserName: string): AgentFacts {
  const crawler = isbot(userAgent);
  return {
    crawler,
    preview: isPreviewAgent(userAgent),
    headless: isHeadlessAgent(userAgent),
    browser: !crawler && browserName !== '' && userAgent.startsWith('Mozilla/'),
  };
}
