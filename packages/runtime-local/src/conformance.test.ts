import { describeRuntimeConformance } from '@stepwise/core/testing';
import { fakeModels } from './fake/fake-models';
import { memoryKnowledgeBase } from './knowledge/memory-knowledge-base';
import type { Clock } from './runtime/clock';
import { createLocalRuntime } from './runtime/create-local-runtime';

/** Policy delays and step timeouts 1000 times shorter, so retries and timeouts cost milliseconds. */
const fastClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms / 1000),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

describeRuntimeConformance('runtime-local', {
  createRuntime: ({ models, knowledgeBases, handlers, random }) =>
    createLocalRuntime({ models, knowledgeBases, handlers, clock: fastClock, ...(random ? { random } : {}) }),
  fakeModels,
  memoryKnowledgeBase,
});
