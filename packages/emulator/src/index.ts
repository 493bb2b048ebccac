export type { EmulatorServices } from './emulator-services';
export { type ExecuteOptions, type ExecutionOutcome, executeStateMachine } from './execute-state-machine';
export { type Emulator, type EmulatorOptions, startEmulator } from './start-emulator';
