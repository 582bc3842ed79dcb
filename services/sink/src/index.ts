export { type CapWatcherDeps, startCapWatcher } from './cap-watcher.js';
export { batchToken, type Sink, type SinkDeps, startSink } from './sink.js';
