export type { DefinitionDiagnostic, DefinitionValidation } from './asl/validate/definition-diagnostic';
export { type ValidateDefinitionOptions, validateDefinition } from './asl/validate/validate-definition';
export type { EmulatorServices } from './emulator-services';
export { type ExecuteOptions, type ExecutionOutcome, executeStateMachine } from './execute-state-machine';
export type { HttpTaskRoutes } from './http-task';
export {
  type OpenAiCompatibleCall,
  type OpenAiCompatibleFault,
  type OpenAiCompatibleOptions,
  type OpenAiCompatibleServer,
  STEP_ID_HEADER,
  startOpenAiCompatible,
} from './openai-compatible-service';
export { type Emulator, type EmulatorOptions, startEmulator } from './start-emulator';
export type { EmulatorFaults, StreamCut, StreamCutRequest } from './stream-cut';
