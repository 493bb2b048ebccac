export { collectEvents } from './collect-events';
export { expectGoldenAsl } from './expect-golden-asl';
export { type BothRuntimes, startBothRuntimes } from './start-both-runtimes';
