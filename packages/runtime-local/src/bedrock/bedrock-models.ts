import {
  BedrockRuntimeClient,
  type ContentBlock,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type Message,
  type ResponseStream,
} from '@aws-sdk/client-bedrock-runtime';
import {
  AbortedError,
  decodeConverseStream,
  getModelAdapter,
  type ModelCallOptions,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  toModelStreamFailure,
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
  /**
   * The operation `doStream` calls: `ConverseStream` (default; one request shape for every model) or
   * `InvokeModelWithResponseStream` (the model family's own body, as `doInvoke` sends it, and its chunks).
   */
  streamOperation?: 'ConverseStream' | 'InvokeModelWithResponseStream';
}

/** Turns what the SDK throws into `ModelError` (`Bedrock.<Name>`) or `AbortedError`. */
function toModelError(error: unknown, signal: AbortSignal | undefined): Error {
  if (AbortedError.isInstance(error)) return error;
  const failure = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  if (signal?.aborted || failure?.name === 'AbortError') {
    return new AbortedError('The Bedrock call was aborted.', { cause: error });
  }
  if (ModelError.isInstance(error)) return error;
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

/** The chunk bodies of an InvokeModelWithResponseStream; an in-stream exception member is thrown. */
async function* chunkBodies(
  events: AsyncIterable<ResponseStream> | Iterable<ResponseStream>,
): AsyncGenerator<Uint8Array> {
  for await (const event of events) {
    if (event.chunk?.bytes) {
      yield event.chunk.bytes;
      continue;
    }
    const failure =
      event.internalServerException ??
      event.modelStreamErrorException ??
      event.validationException ??
      event.throttlingException ??
      event.modelTimeoutException ??
      event.serviceUnavailableException;
    if (failure) throw failure;
  }
}

/**
 * A `ModelProvider` over Amazon Bedrock (`@aws-sdk/client-bedrock-runtime`): `doInvoke` sends InvokeModel with the
 * model family's body (as the compiled state machine does), `doStream` uses ConverseStream and sends the step id as
 * `requestMetadata.stepwiseStepId` (or InvokeModelWithResponseStream, see `streamOperation`). Failures become
 * `ModelError` with `Bedrock.<ExceptionName>`; aborts `AbortedError`.
 *
 * A stream yields its `finish` part only once its final event arrived (ConverseStream: `messageStop` and `metadata`;
 * InvokeModelWithResponseStream: the family's last chunk). A stream cut before that, whether the SDK's iterator
 * ends quietly or throws a transport error (reset, premature close, a frame failing its checksum), fails with
 * `Bedrock.ModelStreamErrorException` after the deltas that did arrive; an in-stream exception keeps its own name.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ models: bedrockModels({ region: 'us-east-1' }) });
 * // Or against an emulator:
 * const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4010', maxAttempts: 1 });
 * const models = bedrockModels({ client });
 * // The family's own streaming API:
 * const claude = bedrockModels({ client, streamOperation: 'InvokeModelWithResponseStream' });
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
      const sendOptions = signal ? { abortSignal: signal } : {};
      try {
        let parts: AsyncIterable<ModelStreamPart>;
        if (options.streamOperation === 'InvokeModelWithResponseStream') {
          const adapter = getModelAdapter(request.modelId);
          const output = await getClient().send(
            new InvokeModelWithResponseStreamCommand({
              modelId: request.modelId,
              body: JSON.stringify(adapter.buildBody(request)),
              contentType: 'application/json',
              accept: 'application/json',
            }),
            sendOptions,
          );
          parts = adapter.decodeStream(chunkBodies(output.body ?? []));
        } else {
          const output = await getClient().send(new ConverseStreamCommand(converseInput(request)), sendOptions);
          // Ends with one finish, or fails with Bedrock.ModelStreamErrorException when the stream was cut.
          parts = decodeConverseStream(output.stream ?? [], { signal });
        }
        for await (const part of parts) {
          if (signal?.aborted) throw new AbortedError('The Bedrock call was aborted.');
          yield part;
        }
      } catch (error) {
        // A cut inside the first frame rejects send() itself, after the HTTP 200: a stream failure too.
        throw toModelError(toModelStreamFailure(error, { signal }), signal);
      }
    },
  };
}
