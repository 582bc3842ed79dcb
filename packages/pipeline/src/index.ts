export { createDecodeStep, createEncodeStep } from './codec-steps.js';
export { createDeadLetters, type DeadLetters, type DeadLettersDeps } from './dead-letters.js';
export { createPipeline, type Failure, type Pipeline, type PipelineOutput } from './pipeline.js';
export { dlq, ok, type Step, type StepResult } from './step.js';
