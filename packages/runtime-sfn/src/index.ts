export type { AslJson, AslState, AslStateMachine } from './compiler/asl-types';
export { compileChain } from './compiler/compile-chain';
export type { CompileOptions, CompileWarning } from './compiler/compile-options';
export { executionInput } from './compiler/execution-input';
export { type PolicyDocument, type PolicyOptions, type PolicyStatement, policyFor } from './compiler/policy-for';
export type { ProviderConnection, ProviderConnections } from './compiler/provider-connections';
export type { ExecutionOutput, RespondRequest } from './compiler/respond-request';
export {
  type DeployChainOptions,
  type DeployChainResult,
  type DeployLogging,
  deployChain,
} from './deploy/deploy-chain';
export { createSfnRuntime, type SfnRuntimeOptions } from './runtime/create-sfn-runtime';
