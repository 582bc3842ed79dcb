import type { Signal } from '../input.js';

/**
 * Link unfurlers and app link-checkers: chat and social apps fetch a link to
 * show its preview card, and Office clients fetch it to check it. Some of these
 * are isbot matches too (ua_bot); some (Office, iMessage, WhatsApp) are not.
 */
export const PREVIEW_AGENT = new RegExp(
  [
    'Slackbot', // Slack: Slackbot-LinkExpanding, Slack-ImgProxy
    'Slack-ImgProxy',
    'Twitterbot', // X
    'facebookexternalhit', // Facebook, Instagram, Messenger; iMessage sends "facebookexternalhit/1.1 Facebot Twitterbot/1.0"
    'Facebot',
    'LinkedInBot',
    'Discordbot',
    'WhatsApp/',
    'TelegramBot',
    'SkypeUriPreview', // Teams and Skype
    'MicrosoftPreview',
    'Teams/[\\d.]+.*Preview',
    'Pinterestbot',
    'Pinterest/0\\.',
    'Google-PageRenderer', // Google's link previews
    'GoogleImageProxy',
    'Google-Read-Aloud',
    'Applebot', // Apple's previews and Spotlight
    'com\\.apple\\.(Safari|mobilenotes|MobileSMS)\\.?\\w*/', // iOS share sheet and Messages link fetches
    'ms-office', // "Mozilla/4.0 (compatible; ms-office; MSOffice 16)"
    'Microsoft Office',
    'MSOffice',
    'Microsoft Outlook',
    'Outlook-iOS',
    'Outlook-Android',
    'redditbot',
    'Snap URL Preview',
    'Viber',
    'vkShare',
    'Mastodon/',
    'Bluesky Cardyb',
    'Iframely',
    'Embedly',
    'Zoom(Bot|Web)',
    'Signal-',
  ].join('|'),
  'i',
);

export function isPreviewAgent(userAgent: string): boolean {
  return PREVIEW_AGENT.test(userAgent);
}

export const previewSignal: Signal = {
  name: 'preview',
  test: (input) => input.agent.preview,
};
