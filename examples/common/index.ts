export type { ExampleServices } from './example-services';
export type { FakeLatency } from './fake-latency';
export { HAIKU, NOVA_MICRO, SONNET } from './models';
export { type StepFakesOptions, stepFakes } from './step-fakes';
