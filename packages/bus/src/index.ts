export { backoffMs } from './backoff.js';
export { BusError, type BusErrorCode } from './errors.js';
export { InProcessBus, type InProcessBusOptions } from './in-process-bus.js';
export { KafkaBus, type KafkaBusOptions } from './kafka-bus.js';
export { decodeFrames, decodeFramesFrom, encodeFrames } from './persisted-log.js';
export { PortBus, servePortBus } from './port-bridge.js';
export type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  ConsumedMessage,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './types.js';
