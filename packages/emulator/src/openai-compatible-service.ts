import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import {
  forEachItem,
  getProviderApi,
  type HttpModelProvider,
  ModelError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
  PROVIDER_ERRORS,
} from '@stepwise/core';
import { listenOn } from './listen-on';

/**
 * The header that carries a call's step id to the loopback server (the emulator's HTTP Task forward sets it from the
 * state's `"Comment": "step:<id>"`; `aiSdkModels(..., { stepIdHeader })` sets it for runs in the process), so fakes
 * answer by step id as they do behind Bedrock.
 *
 * @example
 * ```ts
 * aiSdkModels({ openai }, { stepIdHeader: STEP_ID_HEADER });
 * ```
 */
export const STEP_ID_HEADER = 'x-stepwise-step-id';

/**
 * One request the loopback server received, as it read it.
 *
 * @example
 * ```ts
 * const call: OpenAiCompatibleCall = server.calls[0]!;
 * expect(call.headers.authorization).toBe('Bearer test');
 * ```
 */
export interface OpenAiCompatibleCall {
  /** `/v1/chat/completions` or `/v1/messages`. */
  path: string;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** Request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The model request given to `models` (its `modelId` carries the provider prefix). */
  request: ModelRequest;
  stream: boolean;
  /** 0 for the first request the server received, then 1, 2, ... */
  index: number;
}

/**
 * A scripted fault: an HTTP error answer (`status`, with the API's error body), or a streamed answer cut after
 * `cutAfterDeltas` text deltas, by ending the response without its finish (`'end'`, default) or by resetting the
 * connection (`'destroy'`).
 *
 * @example
 * ```ts
 * const faults = (call: OpenAiCompatibleCall): OpenAiCompatibleFault | undefined =>
 *   call.index === 0 ? { status: 429 } : undefined;
 * ```
 */
export type OpenAiCompatibleFault =
  | { status: number; message?: string }
  | { cutAfterDeltas: number; mode?: 'end' | 'destroy' };

/**
 * Options of {@link startOpenAiCompatible}.
 *
 * @example
 * ```ts
 * const options: OpenAiCompatibleOptions = { models: fakeModels({ default: 'ok' }), provider: 'openai' };
 * ```
 */
export interface OpenAiCompatibleOptions {
  /** Answers every call (for example `fakeModels(...)`); its failures become the API's error answers. */
  models: ModelProvider;
  /**
   * The provider prefix put before the body's `model` in the request given to `models`, so fakes answer by the
   * chain's model reference (`openai:gpt-4o-mini`). Default `openai`. `anthropic` serves Anthropic's Messages API
   * on `/v1/messages` too (non-streamed).
   */
  provider?: HttpModelProvider;
  /** When set, a request must carry `Authorization: Bearer <apiKey>` (or `x-api-key`), else 401. */
  apiKey?: string;
  /** Scripted faults per request, before `models` is asked. */
  faults?: (call: OpenAiCompatibleCall) => OpenAiCompatibleFault | undefined;
  /** Port to listen on. Default 0: a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/**
 * A running loopback server, from {@link startOpenAiCompatible}.
 *
 * @example
 * ```ts
 * const openai = createOpenAI({ baseURL: server.baseUrl, apiKey: 'test' });
 * ```
 */
export interface OpenAiCompatibleServer {
  /** `http://127.0.0.1:<port>/v1`: the base URL an AI SDK provider or an HTTP Task endpoint maps to. */
  baseUrl: string;
  port: number;
  /** Every request received, in order. */
  readonly calls: OpenAiCompatibleCall[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1_048_576;

function errorType(status: number): { type: string; code: string | null } {
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function sendError(res: ServerResponse, status: number, message: string, provider: HttpModelProvider): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body =
    provider === 'anthropic'
      ? { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } }
      : { error: { message, ...errorType(status), param: null } };
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The HTTP status a model provider's failure answers with: its own, else the one its name stands for. */
function statusOf(error: unknown): number {
  if (ModelError.isInstance(error)) {
    if (error.statusCode !== undefined) return error.statusCode;
    if (error.error === PROVIDER_ERRORS.rateLimited) return 429;
    if (error.error === PROVIDER_ERRORS.unauthorized) return 401;
    if (error.error === PROVIDER_ERRORS.badRequest) return 400;
    if (error.error === PROVIDER_ERRORS.connectionError) return 408;
  }
  return 500;
}

function isCut(error: unknown): boolean {
  return (
    ModelError.isInstance(error) &&
    (error.error === PROVIDER_ERRORS.streamCut || error.error === 'Bedrock.ModelStreamErrorException')
  );
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function chunkBody(id: string, model: string, created: number, choice: Record<string, unknown> | undefined) {
  return { id, object: 'chat.completion.chunk', created, model, choices: choice ? [{ index: 0, ...choice }] : [] };
}

/**
 * Starts a loopback server that speaks OpenAI's Chat Completions API (`POST /v1/chat/completions`), answered by a
 * stepwise `ModelProvider` (`fakeModels`), so a real `@ai-sdk/openai` client, any OpenAI-compatible client, and the
 * emulator's HTTP Task forward all reach fakes over the real wire:
 *
 * - a whole answer: `chat.completion` with `choices[0].message.content`, `finish_reason` and `usage`;
 * - `stream: true`: Server-Sent Events, one `chat.completion.chunk` per text delta (the first with the assistant
 *   role), one with `finish_reason`, one with `usage` when `stream_options.include_usage` is set, then
 *   `data: [DONE]`;
 * - failures: a `ModelError` answers with its HTTP status (a fake's scripted throttle 429, `fail` 500, ...) and the
 *   API's error body (`{ error: { message, type, code } }`); a stream that is cut (a fake's `failAfterDeltas`, even
 *   `0`) opens with 200 and its headers, then ends without its finish and `[DONE]`, as a connection that drops does;
 * - `faults` script answers by request: `{ status: 429 }`, `{ status: 500 }`, `{ cutAfterDeltas: 2 }` (ends the
 *   response) or `{ cutAfterDeltas: 2, mode: 'destroy' }` (resets the connection).
 *
 * The step id comes from the `x-stepwise-step-id` header ({@link STEP_ID_HEADER}); the model request's `modelId`
 * is `<provider>:<model>`. With `provider: 'anthropic'` it also serves Anthropic's Messages API
 * (`POST /v1/messages`, whole answers).
 *
 * @example
 * ```ts
 * import { createOpenAI } from '@ai-sdk/openai';
 * import { startOpenAiCompatible } from '@stepwise/emulator';
 * import { fakeModels } from '@stepwise/runtime-local';
 * import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
 *
 * const server = await startOpenAiCompatible({ models: fakeModels({ byModel: { 'openai:gpt-4o-mini': 'Hi!' } }) });
 * const openai = createOpenAI({ baseURL: server.baseUrl, apiKey: 'test' });
 * const models = aiSdkModels({ openai: (id) => openai.chat(id) });
 * // ... run chains ...
 * await server.close();
 * ```
 */
export async function startOpenAiCompatible(options: OpenAiCompatibleOptions): Promise<OpenAiCompatibleServer> {
  const provider = options.provider ?? 'openai';
  const calls: OpenAiCompatibleCall[] = [];
  const sockets = new Set<Socket>();

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) controller.abort();
    });
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const messages = path === '/v1/messages' || path === '/messages';
    const chat = path === '/v1/chat/completions' || path === '/chat/completions';
    if (req.method !== 'POST' || !(chat || (messages && provider === 'anthropic'))) {
      sendError(res, 404, `The loopback server serves no ${req.method} ${path}`, provider);
      return;
    }
    const api = getProviderApi(messages ? 'anthropic' : provider === 'anthropic' ? 'openai' : provider);
    if (options.apiKey !== undefined) {
      const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (key !== options.apiKey) {
        sendError(res, 401, 'Incorrect API key provided.', provider);
        return;
      }
    }
    const text = await readBody(req);
    if (text === undefined) {
      sendError(res, 413, 'Request entity too large', provider);
      return;
    }
    let body: Record<string, unknown>;
    let request: ModelRequest;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
      const parsed = api.parseBody(body);
      request = { ...parsed.request, modelId: `${provider}:${parsed.model}` };
    } catch (error) {
      sendError(res, 400, error instanceof Error ? error.message : String(error), provider);
      return;
    }
    const stepId = req.headers[STEP_ID_HEADER];
    if (typeof stepId === 'string' && stepId !== '') request.stepId = stepId;
    const stream = body.stream === true;
    const call: OpenAiCompatibleCall = {
      path,
      body,
      headers: { ...req.headers },
      request,
      stream,
      index: calls.length,
    };
    calls.push(call);
    const fault = options.faults?.(call);
    if (fault && 'status' in fault) {
      sendError(res, fault.status, fault.message ?? `Scripted failure ${fault.status}.`, provider);
      return;
    }
    const model = typeof body.model === 'string' ? body.model : '';
    if (!stream || messages) {
      let response: ModelResponse;
      try {
        response = await options.models.doInvoke(request, { signal: controller.signal });
      } catch (error) {
        if (!controller.signal.aborted) sendError(res, statusOf(error), (error as Error).message, provider);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': randomUUID() });
      res.end(JSON.stringify(api.writeResponse(response, model)));
      return;
    }
    await streamAnswer(res, request, model, body, fault, controller.signal);
  }

  async function streamAnswer(
    res: ServerResponse,
    request: ModelRequest,
    model: string,
    body: Record<string, unknown>,
    fault: OpenAiCompatibleFault | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const cutAt = fault && 'cutAfterDeltas' in fault ? fault.cutAfterDeltas : undefined;
    const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
    const open = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      send(chunkBody(id, model, created, { delta: { role: 'assistant', content: '' }, finish_reason: null }));
    };
    const cut = () => {
      // A reset after what was written has left (destroying at once would drop it): the client reads the deltas,
      // then the connection fails.
      if (fault && 'mode' in fault && fault.mode === 'destroy') res.write('', () => res.socket?.destroy());
      else res.end();
    };
    let deltas = 0;
    let finish: Extract<ModelStreamPart, { type: 'finish' }> | undefined;
    let stopped = false;
    try {
      await forEachItem(options.models.doStream(request, { signal }), (part) => {
        if (stopped) return;
        open();
        if (part.type === 'finish') {
          finish = part;
          return;
        }
        if (cutAt !== undefined && deltas >= cutAt) {
          stopped = true;
          return;
        }
        deltas++;
        send(chunkBody(id, model, created, { delta: { content: part.delta }, finish_reason: null }));
      });
    } catch (error) {
      if (signal.aborted) return;
      if (isCut(error)) {
        // A cut before the first delta is still a cut, not an error status: a server streams its 200 and headers
        // before the model's first token, so a connection that drops then has answered 200 already.
        open();
        cut();
        return;
      }
      if (!res.headersSent) {
        sendError(res, statusOf(error), (error as Error).message, 'openai');
        return;
      }
      // A failure the provider names mid-stream: OpenAI sends it as an error event.
      const status = statusOf(error);
      send({ error: { message: (error as Error).message, ...errorType(status), param: null } });
      res.end();
      return;
    }
    if (signal.aborted) return;
    open();
    if (stopped || finish === undefined) {
      cut();
      return;
    }
    const reason = finish.stopReason === 'max_tokens' ? 'length' : 'stop';
    send(chunkBody(id, model, created, { delta: {}, finish_reason: reason }));
    if (includeUsage) {
      const { inputTokens, outputTokens } = finish.usage;
      send({
        ...chunkBody(id, model, created, undefined),
        usage: {
          prompt_tokens: inputTokens,
          completion_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
      });
    }
    res.end('data: [DONE]\n\n');
  }

  const server = http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      sendError(res, 500, error instanceof Error ? error.message : String(error), provider);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const { port, url } = await listenOn(server, options);
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `${url}/v1`,
    port,
    calls,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
