export type { Chain, ChainInput, ChainOutput } from './chain/chain';
export type { ChainOutputType, ChainPathErrors, SchemaInput, SchemaOutput } from './chain/chain-types';
export { type ChainShapes, checkPaths, type StepShape } from './chain/check-paths';
export { type ChainDefinition, defineChain } from './chain/define-chain';
export { formatShape } from './chain/format-shape';
export { inputJsonSchemaOf } from './chain/input-json-schema-of';
export { jsonSchemaOfShape } from './chain/json-schema-of-shape';
export { outputJsonSchemaOf } from './chain/output-json-schema-of';
export type { Shape, ShapeAlternative, ShapeKind } from './chain/shape';
export type {
  CatchPolicy,
  ChooseCase,
  ChooseStep,
  InvokeOutputFormat,
  InvokeStep,
  MapStep,
  ParallelStep,
  RespondMessages,
  RespondStep,
  RetrieveStep,
  RetryPolicy,
  SplitStep,
  SplitVariant,
  Step,
  StepBase,
  StepPolicy,
  StepType,
  TaskStep,
  TransformStep,
  ValueSpec,
} from './chain/step';
export { validateChain } from './chain/validate-chain';
export { validateInput } from './chain/validate-input';
export { and, eq, exists, gt, gte, isFalse, isTrue, lt, lte, matches, ne, not, or } from './condition/builders';
export type { Comparable, Condition } from './condition/condition';
export { evaluateCondition } from './condition/evaluate-condition';
export { AbortedError } from './errors/aborted-error';
export { ChainDefinitionError } from './errors/chain-definition-error';
export { ExecutionTimeoutError } from './errors/execution-timeout-error';
export { type InputIssue, InputValidationError } from './errors/input-validation-error';
export { ModelError, type ModelErrorOptions } from './errors/model-error';
export { StepFailedError, type StepFailedErrorOptions } from './errors/step-failed-error';
export { StepwiseError, type StepwiseErrorOptions } from './errors/stepwise-error';
export { TemplateError } from './errors/template-error';
export { neutraliseControlTokens } from './model/adapters/control-tokens';
export { type ConverseStreamEvent, decodeConverseStream } from './model/decode-converse-stream';
export { getModelAdapter, modelFamilyOf } from './model/get-model-adapter';
export { type GuardModelStreamOptions, guardModelStream } from './model/guard-model-stream';
export type { KnowledgeBase, RetrievalRequest, RetrievalResult } from './model/knowledge-base';
export type { ModelFamily, ModelFamilyAdapter, ResultPaths } from './model/model-family-adapter';
export type {
  ModelCallOptions,
  ModelMessage,
  ModelProvider,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
  ModelUsage,
  StopReason,
} from './model/model-provider';
export {
  checkModelReference,
  isProviderModel,
  MODEL_PROVIDERS,
  type ModelProviderName,
  type ModelReference,
  parseModelReference,
} from './model/model-reference';
export {
  type ModelStreamFailureOptions,
  modelStreamError,
  toModelStreamFailure,
} from './model/model-stream-error';
export {
  httpTaskErrorsOf,
  isProviderErrorName,
  PROVIDER_ERRORS,
  type ProviderErrorName,
  providerError,
  providerErrorOfHttpTask,
  providerErrorOfStatus,
} from './model/provider-errors';
export {
  getProviderApi,
  type HttpModelProvider,
  type ParsedProviderBody,
  type ProviderHttpApi,
} from './model/provider-http-api';
export { type RespondMessagesOptions, respondMessages } from './model/respond-messages';
export { stopReasonOf } from './model/stop-reason-of';
export { addUsage, type ChainUsage, emptyUsage } from './model/usage';
export { type BedrockApi, validateModelRequest } from './model/validate-model-request';
export { errorMatches } from './policy/error-matches';
export type {
  ChainEndEvent,
  ChainEvent,
  ChainStartEvent,
  ErrorEvent,
  StepEndEvent,
  StepPlace,
  StepRetryEvent,
  StepStartEvent,
  TextDeltaEvent,
} from './runtime/chain-event';
export type { ChainResult, ChainRuntime, RunOptions } from './runtime/chain-runtime';
export { errorEventOf } from './runtime/error-event-of';
export type { TaskContext, TaskHandler } from './runtime/task-handler';
export { choose, when } from './steps/choose';
export { type InvokeOptions, invoke } from './steps/invoke';
export { type MapOptions, map } from './steps/map';
export { parallel } from './steps/parallel';
export { type RespondOptions, respond } from './steps/respond';
export { type RetrieveOptions, retrieve } from './steps/retrieve';
export { SPLIT_DRAW_RANGE, split } from './steps/split';
export { type TaskOptions, task } from './steps/task';
export { type TransformOptions, transform } from './steps/transform';
export { createPushIterable, type PushProducer, type PushSink } from './stream/create-push-iterable';
export { forEachItem, isPushIterable, type PushIterable } from './stream/push-iterable';
export { errorTypeOf } from './telemetry/error-type-of';
export { genAiModelOf } from './telemetry/gen-ai-model-of';
export {
  type ModelCallOutcome,
  type ModelCallTrace,
  RunTelemetry,
  type RunTelemetryInit,
  type StepOutcome,
  type TraceSpan,
  type TraceStart,
  type TraceTiming,
} from './telemetry/run-telemetry';
export {
  SPAN_KIND,
  SPAN_STATUS,
  type TelemetryApi,
  type TelemetryAttributes,
  type TelemetryAttributeValue,
  type TelemetrySpan,
  type TelemetrySpanOptions,
  type TelemetryTracer,
} from './telemetry/telemetry-api';
export { TELEMETRY_ATTRIBUTES } from './telemetry/telemetry-attributes';
export type { TelemetryOptions } from './telemetry/telemetry-options';
export { formatJavaDouble, formatNumber, stringifyJson } from './template/format-number';
export {
  isTemplate,
  parseTemplate,
  type TemplatePart,
  type TemplatePlaceholder,
  type TemplateText,
} from './template/parse-template';
export { getPath, type ParsedPath, type PathRoot, type PathSegment, parsePath, toJsonPath } from './template/path';
export { renderTemplate } from './template/render-template';
export { resolveValue } from './template/resolve-value';
