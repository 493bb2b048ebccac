import { getModelAdapter, type ModelRequest } from '@stepwise/core';
import type { EmulatorServices } from './emulator-services';
import { aslErrorNameOf } from './error-names';
import { HttpTaskError, invokeHttpTask } from './http-task';

/** A Task state's work: its effective input in, its result out. @internal */
export type TaskResource = (input: unknown) => Promise<unknown>;

/**
 * An error raised inside an execution: `name` is the ASL error name, `message` the Cause. As on Step Functions,
 * `States.Runtime` is neither retried nor caught (the interpreter reads `isRetryable` and `isCatchable`).
 * @internal
 */
export class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }

  get isRetryable(): boolean {
    return this.name !== 'States.Runtime';
  }

  get isCatchable(): boolean {
    return this.name !== 'States.Runtime';
  }
}

const INVOKE_MODEL = /^arn:aws[\w-]*:states:::bedrock:invokeModel$/;
const RETRIEVE = /^arn:aws[\w-]*:states:::aws-sdk:bedrockagentruntime:retrieve$/;
const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke$/;
const HTTP_INVOKE = /^arn:aws[\w-]*:states:::http:invoke$/;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;
const MODEL_ARN =
  /^arn:aws[\w-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile)\/(.+)$/;

/** The step id an ASL state belongs to, from its `"Comment": "step:<id>"`. @internal */
export function stepIdOf(comment: unknown): string | undefined {
  if (typeof comment !== 'string' || !comment.startsWith('step:')) return undefined;
  const id = /^step:([A-Za-z][A-Za-z0-9_]*)/.exec(comment)?.[1];
  return id;
}

/** A Bedrock model id from a model id, an inference-profile id or the ARN of either. @internal */
export function modelIdOf(value: string): string {
  return MODEL_ARN.exec(value)?.[1] ?? value;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TaskError('States.Runtime', `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function withSignal<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  return run();
}

/**
 * Resolves a Task state's `Resource` to the emulator's fake of that service, or `undefined` when the emulator does
 * not serve the resource. Each task answers with the shape the real service integration returns.
 * @internal
 */
export function taskResourceFor(
  resource: string,
  stepId: string | undefined,
  services: EmulatorServices,
  signal: AbortSignal,
): TaskResource | undefined {
  if (INVOKE_MODEL.test(resource)) {
    return (input) =>
      withSignal(signal, async () => {
        const parameters = record(input, 'The bedrock:invokeModel parameters');
        if (typeof parameters.ModelId !== 'string') {
          throw new TaskError('Bedrock.ValidationException', 'ModelId is required and must be a string');
        }
        const modelId = modelIdOf(parameters.ModelId);
        try {
          const adapter = getModelAdapter(modelId);
          const parsed = adapter.parseBody(modelId, parameters.Body);
          const request: ModelRequest = stepId === undefined ? parsed : { ...parsed, stepId };
          const response = await services.models.doInvoke(request, { signal });
          return { Body: adapter.writeResponse(response), ContentType: 'application/json' };
        } catch (error) {
          throw new TaskError(aslErrorNameOf(error, 'Bedrock'), messageOf(error));
        }
      });
  }
  if (RETRIEVE.test(resource)) {
    return (input) =>
      withSignal(signal, async () => {
        const parameters = record(input, 'The bedrockagentruntime:retrieve parameters');
        const id = parameters.KnowledgeBaseId;
        const query = (parameters.RetrievalQuery as { Text?: unknown } | undefined)?.Text;
        if (typeof id !== 'string' || typeof query !== 'string') {
          throw new TaskError(
            'BedrockAgentRuntime.ValidationException',
            'KnowledgeBaseId and RetrievalQuery.Text are required strings',
          );
        }
        const knowledgeBase = services.knowledgeBases[id];
        if (!knowledgeBase) {
          throw new TaskError('BedrockAgentRuntime.ResourceNotFoundException', `Knowledge base ${id} does not exist`);
        }
        const config = parameters.RetrievalConfiguration as
          | { VectorSearchConfiguration?: { NumberOfResults?: unknown } }
          | undefined;
        const requested = config?.VectorSearchConfiguration?.NumberOfResults;
        const topK = typeof requested === 'number' ? requested : 5;
        try {
          const results = await knowledgeBase.retrieve({ knowledgeBaseId: id, query, topK }, { signal });
          return {
            RetrievalResults: results.slice(0, topK).map((result) => ({
              Content: { Text: result.text, Type: 'TEXT' },
              Location:
                result.source === undefined
                  ? { Type: 'CUSTOM', CustomDocumentLocation: { Id: '' } }
                  : { Type: 'CUSTOM', CustomDocumentLocation: { Id: result.source } },
              Metadata: result.source === undefined ? {} : { 'x-amz-bedrock-kb-source-uri': result.source },
              Score: result.score,
            })),
          };
        } catch (error) {
          throw new TaskError(aslErrorNameOf(error, 'BedrockAgentRuntime'), messageOf(error));
        }
      });
  }
  if (HTTP_INVOKE.test(resource)) {
    return (input) =>
      withSignal(signal, async () => {
        const parameters = record(input, 'The http:invoke parameters');
        try {
          return await invokeHttpTask(parameters, services.http, stepId, signal);
        } catch (error) {
          if (error instanceof HttpTaskError) throw new TaskError(error.name, error.message);
          throw error;
        }
      });
  }
  const lambdaName = LAMBDA_ARN.exec(resource)?.[1];
  if (LAMBDA_INVOKE.test(resource) || lambdaName !== undefined) {
    const direct = lambdaName !== undefined;
    return (input) =>
      withSignal(signal, async () => {
        let name = lambdaName;
        let payload: unknown = input;
        if (!direct) {
          const parameters = record(input, 'The lambda:invoke parameters');
          if (typeof parameters.FunctionName !== 'string') {
            throw new TaskError('Lambda.InvalidParameterValueException', 'FunctionName is required');
          }
          name = LAMBDA_ARN.exec(parameters.FunctionName)?.[1] ?? parameters.FunctionName;
          // Lambda hands an invocation without a payload to the handler as `{}`. An explicit `"Payload": null` is
          // sent as the JSON `null`, which Lambda hands on as `null` (not recorded on AWS; runtime-local does the
          // same, so a task whose input is `null` means one thing on both runtimes).
          payload = 'Payload' in parameters ? parameters.Payload : {};
        }
        const handler = name === undefined ? undefined : services.handlers[name];
        if (!handler) {
          throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${name ?? resource}`);
        }
        let result: unknown;
        try {
          result = await handler(payload, { stepId: stepId ?? name ?? '', signal });
        } catch (error) {
          const errorType = aslErrorNameOf(error, 'Lambda');
          throw new TaskError(
            errorType,
            JSON.stringify({ errorType, errorMessage: messageOf(error), trace: [] satisfies string[] }),
          );
        }
        const value = result === undefined ? null : JSON.parse(JSON.stringify(result));
        return direct ? value : { ExecutedVersion: '$LATEST', Payload: value, StatusCode: 200 };
      });
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
