export {
  type FakeModelProvider,
  type FakeModelsOptions,
  type FakeReply,
  type FakeWireOptions,
  fakeModels,
} from './fake/fake-models';
export { fakeTokens } from './fake/fake-tokens';
export { lastUserText } from './fake/last-user-text';
export {
  type BedrockRetrievalResult,
  type MemoryDocument,
  type MemoryKnowledgeBase,
  type MemoryKnowledgeBaseOptions,
  memoryKnowledgeBase,
} from './knowledge/memory-knowledge-base';
export type { Clock } from './runtime/clock';
export { createLocalRuntime, type LocalRuntimeOptions } from './runtime/create-local-runtime';
export { createManualClock, type ManualClock } from './runtime/manual-clock';
export { systemClock } from './runtime/system-clock';
