export { type AttributionRepairDeps, startAttributionRepair } from './attribution-repair.js';
export { type CapWatcherDeps, startCapWatcher } from './cap-watcher.js';
export { batchToken, type Sink, type SinkDeps, startSink } from './sink.js';
