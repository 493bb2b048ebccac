import { randomUUID } from 'node:crypto';
import {
  getModelAdapter,
  guardModelStream,
  type ModelFamilyAdapter,
  type ModelMessage,
  type ModelProvider,
  type ModelRequest,
  type ModelStreamPart,
} from '@stepwise/core';
import { type BedrockFault, bedrockFaultOf } from './error-names';
import { eventFrame, exceptionFrame } from './event-stream-frame';
import {
  checkStreamCut,
  cuttingFrameSink,
  type EmulatorFaults,
  type FrameSink,
  type FrameTarget,
  plainFrameSink,
  type StreamCutRequest,
} from './stream-cut';
import { modelIdOf } from './task-resources';

/** The subset of a Node HTTP/1 or HTTP/2 compatibility response the emulator writes to. @internal */
export interface ReplyStream extends FrameTarget {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
}

const ROUTE = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream|converse|converse-stream)$/;

/** Exceptions that are members of InvokeModelWithResponseStream's and ConverseStream's event unions. */
const STREAM_EXCEPTIONS = new Set([
  'InternalServerException',
  'ModelStreamErrorException',
  'ValidationException',
  'ThrottlingException',
  'ModelTimeoutException',
  'ServiceUnavailableException',
]);
const CONVERSE_STREAM_EXCEPTIONS = new Set([
  'InternalServerException',
  'ModelStreamErrorException',
  'ValidationException',
  'ThrottlingException',
  'ServiceUnavailableException',
]);

function sendFault(res: ReplyStream, fault: BedrockFault): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(fault.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${fault.name}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(JSON.stringify({ message: fault.message }));
}

function sendJson(res: ReplyStream, body: unknown, headers: Record<string, string | number> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function validation(message: string): BedrockFault {
  return { name: 'ValidationException', status: 400, message };
}

function parseJson(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw validation('Malformed input request: the body is not valid JSON, please reformat your input and try again.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw validation('Malformed input request: the body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function adapterFor(modelId: string): ModelFamilyAdapter {
  try {
    return getModelAdapter(modelId);
  } catch {
    throw validation(`The provided model identifier is invalid: ${modelId}`);
  }
}

function textOf(content: unknown, where: string): string {
  if (!Array.isArray(content)) throw validation(`${where} must be a list of content blocks`);
  let text = '';
  for (const block of content) {
    if (typeof block !== 'object' || block === null || typeof (block as { text?: unknown }).text !== 'string') {
      throw validation(`${where} may only hold text content blocks`);
    }
    text += (block as { text: string }).text;
  }
  return text;
}

/** A Converse / ConverseStream body as a model request. */
function converseRequest(modelId: string, body: Record<string, unknown>): ModelRequest {
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw validation('The messages field is required and must not be empty.');
  }
  const messages: ModelMessage[] = body.messages.map((message: unknown, index: number) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (role !== 'user' && role !== 'assistant') throw validation(`messages.${index}.role must be user or assistant`);
    return { role, content: textOf(content, `messages.${index}.content`) };
  });
  const request: ModelRequest = { modelId, messages };
  if (body.system !== undefined) request.system = textOf(body.system, 'system');
  const config = (body.inferenceConfig ?? {}) as Record<string, unknown>;
  if (typeof config.maxTokens === 'number') request.maxTokens = config.maxTokens;
  if (typeof config.temperature === 'number') request.temperature = config.temperature;
  if (typeof config.topP === 'number') request.topP = config.topP;
  if (Array.isArray(config.stopSequences)) {
    if (config.stopSequences.length > 4) throw validation('inferenceConfig.stopSequences holds at most 4 sequences');
    request.stopSequences = config.stopSequences.map(String);
  }
  const stepId = (body.requestMetadata as Record<string, unknown> | undefined)?.stepwiseStepId;
  if (typeof stepId === 'string') request.stepId = stepId;
  return request;
}

/** Pulls the first part of a stream, so failures before any output can be answered with an HTTP error. */
async function firstPart(
  iterator: AsyncIterator<ModelStreamPart>,
): Promise<IteratorResult<ModelStreamPart> | { error: unknown }> {
  try {
    return await iterator.next();
  } catch (error) {
    return { error };
  }
}

async function* rest(first: IteratorResult<ModelStreamPart>, iterator: AsyncIterator<ModelStreamPart>) {
  if (first.done) return;
  let open = true;
  try {
    yield first.value;
    for (;;) {
      open = false;
      const next = await iterator.next();
      if (next.done) return;
      open = true;
      yield next.value;
    }
  } finally {
    // The writer stopped early (the stream was cut, the client left): stop the model's stream too.
    if (open) await iterator.return?.();
  }
}

function streamException(fault: BedrockFault, allowed: Set<string>): [Uint8Array, string] {
  const name = allowed.has(fault.name) ? fault.name : 'ModelStreamErrorException';
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  const body: Record<string, unknown> = { message: fault.message };
  if (name === 'ModelStreamErrorException' && fault.name !== name) {
    body.originalStatusCode = fault.status;
    body.originalMessage = `${fault.name}: ${fault.message}`;
  }
  return [exceptionFrame(member, body), member];
}

/** The name a cut plan's `beforeEvent` matches for an InvokeModelWithResponseStream chunk. */
function chunkEvent(chunk: Record<string, unknown>): string {
  if (typeof chunk.type === 'string') return chunk.type;
  return Object.keys(chunk)[0] ?? 'chunk';
}

/**
 * Serves Bedrock Runtime's four model operations (REST JSON, event streams) from a model provider.
 * @internal
 */
export class BedrockService {
  readonly #models: ModelProvider;
  readonly #faults: EmulatorFaults;
  #streams = 0;

  constructor(models: ModelProvider, faults: EmulatorFaults = {}) {
    this.#models = models;
    this.#faults = faults;
    const { cutStream } = faults;
    if (cutStream !== undefined && typeof cutStream !== 'function') checkStreamCut(cutStream);
  }

  /** The frame sink of one event stream: it cuts the stream when the fault plan says so. */
  #sink(res: ReplyStream, request: Omit<StreamCutRequest, 'call'>): FrameSink {
    this.#streams += 1;
    const plan = this.#faults.cutStream;
    if (plan === undefined) return plainFrameSink(res);
    const cut = typeof plan === 'function' ? plan({ ...request, call: this.#streams }) : plan;
    if (cut === undefined) return plainFrameSink(res);
    checkStreamCut(cut);
    return cuttingFrameSink(res, cut);
  }

  /** Whether a request path is one of the Bedrock Runtime routes. */
  static matches(path: string): boolean {
    return ROUTE.test(path);
  }

  /** Answers one request. `signal` aborts when the client goes away. Never throws. */
  async handle(path: string, raw: string, res: ReplyStream, signal: AbortSignal): Promise<void> {
    try {
      const match = ROUTE.exec(path);
      if (!match) {
        sendFault(res, { name: 'UnknownOperationException', status: 404, message: `No operation at ${path}` });
        return;
      }
      const modelId = modelIdOf(decodeURIComponent(match[1] as string));
      const operation = match[2];
      const body = parseJson(raw);
      if (operation === 'invoke' || operation === 'invoke-with-response-stream') {
        const adapter = adapterFor(modelId);
        let request: ModelRequest;
        try {
          request = adapter.parseBody(modelId, body);
        } catch (error) {
          throw bedrockFaultOf(error);
        }
        if (operation === 'invoke') await this.#invoke(adapter, request, res, signal);
        else await this.#invokeStream(adapter, request, res, signal);
        return;
      }
      const request = converseRequest(modelId, body);
      if (operation === 'converse') await this.#converse(request, res, signal);
      else await this.#converseStream(request, res, signal);
    } catch (error) {
      sendFault(res, isFault(error) ? error : bedrockFaultOf(error));
    }
  }

  async #invoke(adapter: ModelFamilyAdapter, request: ModelRequest, res: ReplyStream, signal: AbortSignal) {
    const response = await this.#models.doInvoke(request, { signal });
    sendJson(res, adapter.writeResponse(response), {
      'x-amzn-bedrock-input-token-count': response.usage.inputTokens,
      'x-amzn-bedrock-output-token-count': response.usage.outputTokens,
      'x-amzn-bedrock-invocation-latency': 1,
    });
  }

  async #invokeStream(adapter: ModelFamilyAdapter, request: ModelRequest, res: ReplyStream, signal: AbortSignal) {
    const iterator = guardModelStream(this.#models.doStream(request, { signal }), { signal })[Symbol.asyncIterator]();
    const first = await firstPart(iterator);
    if ('error' in first) throw first.error;
    const sink = this.#sink(res, { operation: 'InvokeModelWithResponseStream', modelId: request.modelId });
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-bedrock-content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
    });
    try {
      for await (const chunk of adapter.encodeStream(rest(first, iterator))) {
        if (sink.closed) return;
        const bytes = Buffer.from(JSON.stringify(chunk)).toString('base64');
        sink.frame(eventFrame('chunk', { bytes }), chunkEvent(chunk));
      }
      sink.end();
    } catch (error) {
      if (!sink.closed) sink.end(...streamException(bedrockFaultOf(error), STREAM_EXCEPTIONS));
    }
  }

  async #converse(request: ModelRequest, res: ReplyStream, signal: AbortSignal) {
    const started = Date.now();
    const response = await this.#models.doInvoke(request, { signal });
    const { inputTokens, outputTokens } = response.usage;
    sendJson(res, {
      output: { message: { role: 'assistant', content: [{ text: response.text }] } },
      stopReason: response.stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Date.now() - started },
    });
  }

  async #converseStream(request: ModelRequest, res: ReplyStream, signal: AbortSignal) {
    const started = Date.now();
    const iterator = guardModelStream(this.#models.doStream(request, { signal }), { signal })[Symbol.asyncIterator]();
    const first = await firstPart(iterator);
    if ('error' in first) throw first.error;
    const sink = this.#sink(res, {
      operation: 'ConverseStream',
      modelId: request.modelId,
      ...(request.stepId !== undefined ? { stepId: request.stepId } : {}),
    });
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': randomUUID() });
    sink.frame(eventFrame('messageStart', { role: 'assistant' }), 'messageStart');
    try {
      for await (const part of rest(first, iterator)) {
        if (sink.closed) return;
        if (part.type === 'text-delta') {
          sink.frame(
            eventFrame('contentBlockDelta', { delta: { text: part.delta }, contentBlockIndex: 0 }),
            'contentBlockDelta',
          );
          continue;
        }
        const { inputTokens, outputTokens } = part.usage;
        sink.frame(eventFrame('contentBlockStop', { contentBlockIndex: 0 }), 'contentBlockStop');
        sink.frame(eventFrame('messageStop', { stopReason: part.stopReason }), 'messageStop');
        sink.end(
          eventFrame('metadata', {
            usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
            metrics: { latencyMs: Date.now() - started },
          }),
          'metadata',
        );
        return;
      }
    } catch (error) {
      if (!sink.closed) sink.end(...streamException(bedrockFaultOf(error), CONVERSE_STREAM_EXCEPTIONS));
    }
  }
}

function isFault(value: unknown): value is BedrockFault {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as BedrockFault).name === 'string' &&
    typeof (value as BedrockFault).status === 'number'
  );
}
