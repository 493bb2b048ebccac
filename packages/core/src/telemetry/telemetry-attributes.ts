/**
 * The span attribute keys stepwise sets: OpenTelemetry's GenAI semantic conventions (`gen_ai.*`, `error.type`) and
 * stepwise's own (`stepwise.*`).
 *
 * @example
 * ```ts
 * const model = span.attributes[TELEMETRY_ATTRIBUTES.requestModel]; // 'gpt-4o-mini'
 * ```
 */
export const TELEMETRY_ATTRIBUTES = {
  operationName: 'gen_ai.operation.name',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  requestTemperature: 'gen_ai.request.temperature',
  requestTopP: 'gen_ai.request.top_p',
  requestTopK: 'gen_ai.request.top_k',
  requestStopSequences: 'gen_ai.request.stop_sequences',
  requestStream: 'gen_ai.request.stream',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  usageInputTokens: 'gen_ai.usage.input_tokens',
  usageOutputTokens: 'gen_ai.usage.output_tokens',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  systemInstructions: 'gen_ai.system_instructions',
  dataSourceId: 'gen_ai.data_source.id',
  retrievalQueryText: 'gen_ai.retrieval.query.text',
  retrievalDocuments: 'gen_ai.retrieval.documents',
  workflowName: 'gen_ai.workflow.name',
  errorType: 'error.type',
  chain: 'stepwise.chain',
  runId: 'stepwise.run_id',
  runtime: 'stepwise.runtime',
  stepId: 'stepwise.step.id',
  stepType: 'stepwise.step.type',
  stepAttempts: 'stepwise.step.attempts',
  stepVariant: 'stepwise.step.variant',
  callAttempt: 'stepwise.call.attempt',
  timing: 'stepwise.timing',
  usageTotalInputTokens: 'stepwise.usage.input_tokens',
  usageTotalOutputTokens: 'stepwise.usage.output_tokens',
  stateMachineArn: 'aws.step_functions.state_machine.arn',
  executionArn: 'stepwise.sfn.execution_arn',
} as const;
