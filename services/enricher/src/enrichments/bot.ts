import type { ClickEvent } from '@linktrack/streams';
import type { EnrichContext } from './context.js';
import type { Enrichment } from './enrichment.js';

/**
 * First-pass bot and prefetch signals; the reason names which one fired.
 * Must run after device enrichment: a bot's device_type becomes 'bot'.
 */
export const botEnrichment: Enrichment = {
  name: 'bot',
  run: (click, ctx) => {
    const reason = botReason(click, ctx);
    return reason
      ? { is_bot: true, bot_reason: reason, device_type: 'bot' }
      : { is_bot: false, bot_reason: '' };
  },
};

function botReason(click: ClickEvent, ctx: EnrichContext): string {
  if (click.user_agent.trim() === '') return 'empty_user_agent';
  // isbot, through the user-agent cache.
  if (ctx.userAgents.parse(click.user_agent).crawler) return 'user_agent';
  // Link scanners and unfurlers check links with HEAD; people's browsers never do.
  if (click.method === 'HEAD') return 'head_request';
  const purpose = `${click.headers['sec-purpose'] ?? ''} ${click.headers.purpose ?? ''}`.toLowerCase();
  if (purpose.includes('prefetch') || purpose.includes('prerender')) return 'prefetch';
  return '';
}
