import type { ReferrerMedium } from '@linktrack/streams';

/**
 * Where a visit came from, by its referrer's host (without www.). A host is
 * matched whole or as a subdomain (news.google.com is google.com). Search and
 * email webmail hosts come first: mail.google.com is email, google.com search.
 */
const EMAIL = [
  'mail.google.com',
  'inbox.google.com',
  'outlook.live.com',
  'outlook.office.com',
  'outlook.office365.com',
  'mail.yahoo.com',
  'mail.aol.com',
  'mail.proton.me',
  'mail.protonmail.com',
  'app.fastmail.com',
  'mail.zoho.com',
  'mail.yandex.ru',
  'e.mail.ru',
  'webmail.gmx.net',
  'navigator.gmx.net',
  'mail.163.com',
  'mail.qq.com',
  'icloud.com',
  'app.hey.com',
  // Link-protection rewriters sit in front of mail links.
  'safelinks.protection.outlook.com',
  'urldefense.com',
  'urldefense.proofpoint.com',
  'linkprotect.cudasvc.com',
];
const SEARCH = [
  'google.com',
  'bing.com',
  'duckduckgo.com',
  'search.yahoo.com',
  'yahoo.com',
  'yandex.ru',
  'yandex.com',
  'baidu.com',
  'ecosia.org',
  'search.brave.com',
  'startpage.com',
  'qwant.com',
  'naver.com',
  'seznam.cz',
  'kagi.com',
  'perplexity.ai',
];
const SOCIAL = [
  'facebook.com',
  'fb.com',
  'messenger.com',
  'instagram.com',
  't.co',
  'twitter.com',
  'x.com',
  'linkedin.com',
  'lnkd.in',
  'reddit.com',
  'pinterest.com',
  'pin.it',
  'tiktok.com',
  'youtube.com',
  'youtu.be',
  'threads.net',
  'bsky.app',
  'mastodon.social',
  'tumblr.com',
  'quora.com',
  'snapchat.com',
  'vk.com',
  'discord.com',
  'slack.com',
  'telegram.org',
  't.me',
  'web.whatsapp.com',
  'whatsapp.com',
  'news.ycombinator.com',
];

const LISTS: readonly (readonly [ReferrerMedium, readonly string[]])[] = [
  ['email', EMAIL],
  ['search', SEARCH],
  ['social', SOCIAL],
];

/** google.de, google.co.uk, bing.co.jp, yandex.kz, …: one entry per engine covers its country domains. */
const SEARCH_COUNTRY = /^(?:[\w-]+\.)*(google|bing|yahoo|yandex|baidu|naver)\.(?:com?\.)?[a-z]{2}$/;

/** Apps that send android-app:// referrers (and iOS share extensions that name themselves). */
const APPS: Readonly<Record<string, ReferrerMedium>> = {
  'com.google.android.gm': 'email',
  'com.microsoft.office.outlook': 'email',
  'com.yahoo.mobile.client.android.mail': 'email',
  'com.google.android.googlequicksearchbox': 'search',
  'com.facebook.katana': 'social',
  'com.facebook.orca': 'social',
  'com.instagram.android': 'social',
  'com.linkedin.android': 'social',
  'com.twitter.android': 'social',
  'com.reddit.frontpage': 'social',
  'com.zhiliaoapp.musically': 'social',
  'com.slack': 'social',
  'org.telegram.messenger': 'social',
  'com.whatsapp': 'social',
};

/** search, social, email or unknown for a referring host; '' hosts are for referrerMedium to judge. */
export function mediumOfHost(host: string): ReferrerMedium {
  for (const [medium, hosts] of LISTS) {
    for (const h of hosts) {
      if (
        host === h ||
        (host.length > h.length && host.endsWith(h) && host.charCodeAt(host.length - h.length - 1) === 46)
      )
        return medium;
    }
  }
  if (SEARCH_COUNTRY.test(host)) return host.startsWith('mail.') ? 'email' : 'search';
  if (/^(?:web)?mail\./.test(host)) return 'email';
  return 'unknown';
}

/** The medium of an app referrer (android-app://com.google.android.gm/), or unknown. */
export function mediumOfAppReferrer(referrer: string): ReferrerMedium {
  const match = /^android-app:\/\/([\w.]+)/.exec(referrer);
  return (match && APPS[match[1] as string]) || 'unknown';
}
