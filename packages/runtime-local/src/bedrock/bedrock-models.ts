import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  InvokeModelCommand,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import {
  AbortedError,
  getModelAdapter,
  type ModelCallOptions,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  type ModelUsage,
  type StopReason,
  stopReasonOf,
} from '@stepwise/core';

/**
 * Options of {@link bedrockModels}.
 *
 * @example
 * ```ts
 * const options: BedrockModelsOptions = { region: 'eu-central-1' };
 * ```
 */
export interface BedrockModelsOptions {
  /** A configured client (endpoint, credentials, retries). Default: a new client for `region`. */
  client?: BedrockRuntimeClient;
  /** Region of the default client; default: the SDK's own resolution (`AWS_REGION`, profile). */
  region?: string;
}

/** Turns what the SDK throws into `ModelError` (`Bedrock.<Name>`) or `AbortedError`. */
function toModelError(error: unknown, signal: AbortSignal | undefined): Error {
  if (ModelError.isInstance(error) || AbortedError.isInstance(error)) return error;
  const failure = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  if (signal?.aborted || failure?.name === 'AbortError') {
    return new AbortedError('The Bedrock call was aborted.', { cause: error });
  }
  const name = typeof failure?.name === 'string' && failure.name !== 'Error' ? failure.name : 'InternalServerException';
  const options: { error: string; statusCode?: number; cause: unknown } = { error: `Bedrock.${name}`, cause: error };
  const status = failure?.$metadata?.httpStatusCode;
  if (typeof status === 'number') options.statusCode = status;
  const message =
    typeof failure?.message === 'string' && failure.message ? failure.message : `Bedrock failed with ${name}.`;
  return new ModelError(message, options);
}

function converseInput(request: ModelRequest): ConverseStreamCommandInput {
  const messages: Message[] = request.messages.map((message) => ({
    role: message.role,
    content: [{ text: message.content } as ContentBlock],
  }));
  const input: ConverseStreamCommandInput = { modelId: request.modelId, messages };
  if (request.system !== undefined) input.system = [{ text: request.system }];
  const config: NonNullable<ConverseStreamCommandInput['inferenceConfig']> = {};
  if (request.maxTokens !== undefined) config.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.stopSequences !== undefined) config.stopSequences = request.stopSequences;
  if (Object.keys(config).length > 0) input.inferenceConfig = config;
  if (request.stepId !== undefined) input.requestMetadata = { stepwiseStepId: request.stepId };
  return input;
}

/**
 * A `ModelProvider` over Amazon Bedrock (`@aws-sdk/client-bedrock-runtime`): `doInvoke` sends InvokeModel with the
 * model family's body (as the compiled state machine does), `doStream` uses ConverseStream and sends the step id as
 * `requestMetadata.stepwiseStepId`. Failures become `ModelError` with `Bedrock.<ExceptionName>`; aborts `AbortedError`.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ models: bedrockModels({ region: 'us-east-1' }) });
 * // Or against an emulator:
 * const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4010', maxAttempts: 1 });
 * const models = bedrockModels({ client });
 * ```
 */
export function bedrockModels(options: BedrockModelsOptions = {}): ModelProvider {
  let client = options.client;
  const getClient = (): BedrockRuntimeClient => {
    client ??= new BedrockRuntimeClient(options.region ? { region: options.region } : {});
    return client;
  };
  return {
    specificationVersion: 'v1',
    provider: 'bedrock',
    async doInvoke(request: ModelRequest, callOptions: ModelCallOptions = {}): Promise<ModelResponse> {
      const { signal } = callOptions;
      if (signal?.aborted) throw new AbortedError('The Bedrock call was aborted.');
      const adapter = getModelAdapter(request.modelId);
      try {
        const output = await getClient().send(
          new InvokeModelCommand({
            modelId: request.modelId,
            body: JSON.stringify(adapter.buildBody(request)),
            contentType: 'application/json',
            accept: 'application/json',
          }),
          signal ? { abortSignal: signal } : {},
        );
        const body: unknown = JSON.parse(new TextDecoder().decode(output.body));
        return adapter.readResponse(body);
      } catch (error) {
        throw toModelError(error, signal);
      }
    },
    async *doStream(request: ModelRequest, callOptions: ModelCallOptions = {}): AsyncGenerator<ModelStreamPart> {
      const { signal } = callOptions;
      if (signal?.aborted) throw new AbortedError('The Bedrock call was aborted.');
      let usage: ModelUsage = { inputTokens: 0, outputTokens: 0 };
      let stopReason: StopReason = 'end_turn';
      try {
        const output = await getClient().send(
          new ConverseStreamCommand(converseInput(request)),
          signal ? { abortSignal: signal } : {},
        );
        for await (const event of output.stream ?? []) {
          if (signal?.aborted) throw new AbortedError('The Bedrock call was aborted.');
          const text = event.contentBlockDelta?.delta?.text;
          if (text) {
            yield { type: 'text-delta', delta: text };
          } else if (event.messageStop) {
            stopReason = stopReasonOf(event.messageStop.stopReason);
          } else if (event.metadata?.usage) {
            usage = {
              inputTokens: event.metadata.usage.inputTokens ?? 0,
              outputTokens: event.metadata.usage.outputTokens ?? 0,
            };
          } else {
            const failure =
              event.throttlingException ??
              event.modelStreamErrorException ??
              event.validationException ??
              event.internalServerException ??
              event.serviceUnavailableException;
            if (failure) throw failure;
          }
        }
        if (signal?.aborted) throw new AbortedError('The Bedrock call was aborted.');
      } catch (error) {
        throw toModelError(error, signal);
      }
      yield { type: 'finish', usage, stopReason };
    },
  };
}
