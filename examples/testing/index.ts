export { collectEvents } from './collect-events';
export type { ExampleServices } from './example-services';
export { expectGoldenAsl } from './expect-golden-asl';
export { type BothRuntimes, startBothRuntimes } from './start-both-runtimes';
