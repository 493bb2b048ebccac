export type {
  ConformanceCase,
  ConformanceExpectation,
  ConformanceFixture,
  ConformanceSetup,
  ExpectedEvent,
  FakeModelsSpec,
  FakeReplySpec,
  MemoryDocumentSpec,
} from './conformance-case';
export { conformanceCases } from './conformance-cases';
export { conformanceHandlers } from './conformance-handlers';
export { describeRuntimeConformance } from './describe-runtime-conformance';
export { normaliseEvents } from './normalise-events';
