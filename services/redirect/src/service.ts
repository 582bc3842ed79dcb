import type { AddressInfo } from 'node:net';
import type { Bus } from '@linktrack/bus';
import type { RedirectStatus, TrustProxy } from '@linktrack/config';
import { followLinks, LinkIndex } from '@linktrack/links';
import {
  allCodecs,
  type Codecs,
  followWriterSchemas,
  GROUPS,
  instanceGroup,
  TOPICS,
} from '@linktrack/streams';
import type { Logger, Metrics } from '@linktrack/telemetry';
import { buildRedirectApp } from './app.js';
import { ClickBuffer } from './click-buffer.js';
import { CollectSender } from './collect/collect-sender.js';
import { Spool } from './spool.js';

export interface RedirectSettings {
  host: string;
  port: number;
  status: RedirectStatus;
  trustProxy: TrustProxy;
  bufferMax: number;
  /** Where clicks wait on disk (memory full, transport unreachable); null keeps them in memory only. */
  spoolPath: string | null;
  spoolMaxBytes: number;
  storeRawIp: boolean;
  /** The process's main-thread heartbeat (ms since epoch in slot 0); null when not watched. */
  heartbeat: SharedArrayBuffer | null;
  /** Origins whose pages may send to /v1/collect (LINKTRACK_ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /** What pages send with browser conversions (LINKTRACK_PUBLISHABLE_KEY); null refuses them. */
  publishableKey: string | null;
  clickIdParam: string;
  qrParam: string;
}

export interface RedirectDeps {
  bus: Bus;
  codecs: Codecs;
  logger: Logger;
  metrics: Metrics;
  settings: RedirectSettings;
}

export interface RunningRedirect {
  url: string;
  links: LinkIndex;
  stop(): Promise<void>;
}

/** Past this, the rest of the process (api, pipeline) is taken as down, and this instance as not ready. */
const MAIN_SILENT_MS = 3_000;

function mainThreadSilentMs(heartbeat: SharedArrayBuffer | null): number {
  if (!heartbeat) return 0;
  return Date.now() - Number(Atomics.load(new BigInt64Array(heartbeat), 0));
}

/** The redirect service: its own link index (fed from the bus), click buffer and HTTP server. */
export async function startRedirect(deps: RedirectDeps): Promise<RunningRedirect> {
  const { bus, codecs, logger, metrics, settings } = deps;
  // Link events from a newer api carry a schema this thread learns from the schemas topic.
  const schemas = await followWriterSchemas(
    bus,
    allCodecs(codecs),
    instanceGroup(GROUPS.redirectSchemas),
    (err) =>
      logger.error({ event: 'writer_schema_rejected', err }, 'an announced writer schema cannot be read'),
  );
  await schemas.catchUp();
  const links = new LinkIndex();
  const follower = await followLinks(links, {
    bus,
    codec: codecs.linkEvent,
    logger,
    group: instanceGroup(GROUPS.redirectLinks),
  });
  const spool = settings.spoolPath ? new Spool(settings.spoolPath, settings.spoolMaxBytes) : null;
  const leftover = spool ? await spool.open() : 0;
  if (leftover > 0)
    logger.warn(
      { event: 'click_spool_found', bytes: leftover },
      'replaying clicks spooled by an earlier run',
    );
  const clicks = new ClickBuffer({
    bus,
    spool,
    codec: codecs.clickEvent,
    logger,
    metrics,
    maxEvents: settings.bufferMax,
    storeRawIp: settings.storeRawIp,
  });
  clicks.start();
  const confirmations = new CollectSender({
    bus,
    topic: TOPICS.confirmations,
    codec: codecs.clickConfirmation,
    keyOf: (c) => c.click_id,
    type: 'confirm',
    logger,
    metrics,
  });
  confirmations.start();
  const conversions = new CollectSender({
    bus,
    topic: TOPICS.conversions,
    codec: codecs.conversionEvent,
    keyOf: (c) => c.conversion_id,
    type: 'conversion',
    logger,
    metrics,
  });
  conversions.start();
  const app = buildRedirectApp({
    status: settings.status,
    trustProxy: settings.trustProxy,
    links,
    clicks,
    logger,
    metrics,
    clickIdParam: settings.clickIdParam,
    qrParam: settings.qrParam,
    readiness: () => {
      if (!links.ready) return { ready: false, reason: 'loading links' };
      if (mainThreadSilentMs(settings.heartbeat) > MAIN_SILENT_MS)
        return { ready: false, reason: 'main thread not responding' };
      return { ready: true };
    },
    collect: {
      allowedOrigins: settings.allowedOrigins,
      publishableKey: settings.publishableKey,
      sinks: { confirm: (c) => confirmations.push(c), convert: (c) => conversions.push(c) },
    },
  });
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (err) {
    await confirmations.stop();
    await conversions.stop();
    await clicks.stop();
    await follower.close();
    await schemas.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  logger.info({ event: 'redirect_listening', port: address.port }, 'redirect listening');
  return {
    url: `http://${host}:${address.port}`,
    links,
    stop: async () => {
      // Stop taking requests first, then publish every click already accepted.
      await app.close();
      await clicks.stop();
      await confirmations.stop();
      await conversions.stop();
      await follower.close();
      await schemas.close();
    },
  };
}
