export { backoffMs } from './backoff.js';
export { BusError, type BusErrorCode, busErrorCode } from './errors.js';
export {
  decodeFrames,
  decodeFramesFrom,
  encodeFrames,
  FrameWriter,
  frameExtent,
  NO_KEY,
  viewFrames,
} from './frames.js';
export { InProcessBus, type InProcessBusOptions, type YieldSignal } from './in-process-bus.js';
export { KafkaBus, type KafkaBusOptions } from './kafka-bus.js';
export { PortBus, servePortBus } from './port-bridge.js';
export type {
  Batch,
  BatchHandler,
  Bus,
  BusMessage,
  ConsumedMessage,
  PublishOptions,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './types.js';
