import type { AddressInfo } from 'node:net';
import { buildApiApp, createConversionService, createLinkService } from '@linktrack/api';
import { followLinks, LinkIndex } from '@linktrack/links';
import { GROUPS, instanceGroup } from '@linktrack/streams';
import { CliError } from '../errors.js';
import { reconcileLinksFromMirror } from './reconcile-links.js';
import { defineService } from './service-definition.js';

/** Links and analyst SQL over HTTP, behind the api key. */
export const apiService = defineService({
  name: 'api',
  phase: 'server',
  // Links it restores from the mirror reach a redirect of this process before that one loads them.
  first: true,
  needs: ['apiKey', 'taxonomy', 'store', 'bus'],
  async start(ctx) {
    const bus = ctx.use('bus');
    const apiKey = ctx.use('apiKey');
    // Pages publish the publishable key; were it the api key, any visitor could call the api.
    if (ctx.config.collect.publishableKey === apiKey.key)
      throw new CliError(
        'LT_CLI_API_KEY',
        `LINKTRACK_PUBLISHABLE_KEY is the api key${apiKey.file ? ` kept in ${apiKey.file}` : ''}; choose another`,
      );
    const index = new LinkIndex();
    const follower = await followLinks(index, {
      bus,
      codec: ctx.codecs.linkEvent,
      logger: ctx.logger,
      group: instanceGroup(GROUPS.apiLinks),
    });
    // A change of transport must not lose links: the ClickHouse mirror fills what the topic lacks.
    await index.whenLoaded();
    await reconcileLinksFromMirror({
      bus,
      client: ctx.use('store').client,
      codec: ctx.codecs.linkEvent,
      index,
      logger: ctx.logger,
    });
    const { links: rules } = ctx.config;
    const policy = {
      taxonomy: ctx.use('taxonomy'),
      ownDomains: rules.ownDomains,
      allowPrivate: rules.allowPrivateDestinations,
    };
    const links = createLinkService({
      bus,
      codec: ctx.codecs.linkEvent,
      index,
      baseUrl: ctx.config.api.baseUrl,
      policy,
    });
    const app = await buildApiApp({
      apiKey: apiKey.key,
      analyst: ctx.use('store').analyst,
      analytics: {
        reader: ctx.use('store').reader,
        windowDays: ctx.config.analytics.attributionWindowDays,
      },
      links,
      conversions: createConversionService({ bus, codec: ctx.codecs.conversionEvent }),
      linkRules: {
        policy,
        qrParam: rules.qrParam,
        clickIdParam: rules.clickIdParam,
        checkAllowPrivate: rules.checkAllowPrivate,
      },
      logger: ctx.logger,
      readiness: () => (index.ready ? { ready: true } : { ready: false, reason: 'loading links' }),
    });
    try {
      await app.listen({ host: ctx.config.host, port: ctx.config.api.port });
    } catch (err) {
      await follower.close();
      throw err;
    }
    return {
      url: urlOf(app.server.address() as AddressInfo),
      readiness: () => (index.ready ? { ready: true } : { ready: false, reason: 'api: loading links' }),
      stop: async () => {
        await app.close();
        await follower.close();
      },
    };
  },
});

export function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
