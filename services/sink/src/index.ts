export { batchToken, type Sink, type SinkDeps, startSink } from './sink.js';
