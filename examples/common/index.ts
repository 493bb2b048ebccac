export type { ExampleServices } from './example-services';
export type { FakeLatency } from './fake-latency';
export { type StepFakesOptions, stepFakes } from './step-fakes';
