export { type KafkaLocal, type KafkaLocalOptions, startKafkaLocal } from './broker.js';
export { KafkaLocalError, type KafkaLocalErrorCode } from './errors.js';
export { checkJava, defaultCacheDir, pomKafkaVersion, resolveKafkaJars } from './resolve-jars.js';
