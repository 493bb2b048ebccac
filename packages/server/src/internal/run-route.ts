import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Chain } from '@stepwise/core';
import type { ChatRequest } from '../chat-request';
import { HttpError } from '../client/http-error';
import { defaultChatInput } from '../default-chat-input';
import type { ChatInputMapper, ServerOptions } from '../server-options';
import { hasBody } from './close-gracefully';
import { preferredMediaType } from './negotiate';
import { emptyBody, readJsonBody } from './read-json-body';
import { recordOf } from './request-record';
import { invokeRun, type RunEnvironment, streamRun } from './stream-run';

/** What the run routes share. @internal */
export interface RunRouteContext {
  chains: ReadonlyMap<string, Chain<any>>;
  env: RunEnvironment;
  /** Runs at once; more get 429. */
  concurrency: number;
  retryAfterSeconds: number;
  bodyBytes: number;
  chatInput: ServerOptions['chatInput'];
}

const STREAM_TYPES = ['text/event-stream', 'text/plain'] as const;

/**
 * `POST /v1/chains/:name/invoke | stream | chat`: finds the chain, refuses while the server drains (503), checks the
 * body's type (415) and presence (400), reads it (413, 400), maps it to the chain's input, refuses over the
 * concurrency limit (429), then runs: a JSON answer (`invoke`), or a stream, SSE or, for `Accept: text/plain` on
 * `/stream`, bare text. Errors are thrown, for the handler's error answer.
 * @internal
 */
export function runRoute(
  kind: 'invoke' | 'stream' | 'chat',
  context: RunRouteContext,
): (req: IncomingMessage, res: ServerResponse, params: Record<string, string>) => Promise<void> {
  const { chains, env } = context;
  return async (req, res, params) => {
    const chain = chains.get(params.name!);
    if (chain === undefined) {
      throw new HttpError(`No chain is named "${params.name}".`, { status: 404, errorName: 'NotFoundError' });
    }
    const record = recordOf(res);
    record.chain = chain.name;
    if (env.control.draining) {
      res.setHeader('connection', 'close');
      throw new HttpError('The server is shutting down.', {
        status: 503,
        errorName: 'ServiceUnavailableError',
        retryAfterSeconds: context.retryAfterSeconds,
      });
    }
    if (!isJsonType(req.headers['content-type'])) {
      throw new HttpError('The request body must be JSON (Content-Type: application/json).', {
        status: 415,
        errorName: 'UnsupportedMediaTypeError',
      });
    }
    if (!hasBody(req)) throw emptyBody();
    const body = await readJsonBody(req, res, context.bodyBytes);
    const input = kind === 'chat' ? chatInputOf(body, chain.name, context.chatInput) : runInputOf(body);
    if (env.control.activeRuns >= context.concurrency) {
      throw new HttpError('Too many runs at once; try again shortly.', {
        status: 429,
        errorName: 'TooManyRequestsError',
        retryAfterSeconds: context.retryAfterSeconds,
      });
    }
    if (env.logContent) record.input = input;
    if (kind === 'invoke') return invokeRun(env, res, chain, input);
    const mode = kind === 'stream' && preferredMediaType(req.headers.accept, STREAM_TYPES) === 'text/plain';
    return streamRun(env, req, res, chain, input, mode ? 'text' : 'sse');
  };
}

function runInputOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('input' in body)) {
    throw new HttpError('The body must be a JSON object with an "input" field: {"input": ...}.', {
      status: 400,
      errorName: 'BadRequestError',
    });
  }
  return (body as { input: unknown }).input;
}

function chatInputOf(body: unknown, chainName: string, chatInput: ServerOptions['chatInput']): unknown {
  if (!isChatRequest(body)) {
    throw new HttpError('The body must be a chat request: {"messages": [{"role", "parts": [...]}], ...}.', {
      status: 400,
      errorName: 'BadRequestError',
    });
  }
  const mapper: ChatInputMapper =
    typeof chatInput === 'function' ? chatInput : (chatInput?.[chainName] ?? defaultChatInput);
  const input = mapper(body);
  if (input === undefined) {
    throw new HttpError('The chat request has no user message.', { status: 400, errorName: 'BadRequestError' });
  }
  return input;
}

/** `application/json` or `application/<anything>+json`, with any parameters; read from the header alone. */
function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.+-]+\+json$/.test(type);
}

function isChatRequest(body: unknown): body is ChatRequest {
  if (typeof body !== 'object' || body === null) return false;
  const messages = (body as { messages?: unknown }).messages;
  return (
    Array.isArray(messages) &&
    messages.every(
      (message) =>
        typeof message === 'object' &&
        message !== null &&
        typeof message.role === 'string' &&
        Array.isArray(message.parts) &&
        message.parts.every((part: unknown) => typeof part === 'object' && part !== null),
    )
  );
}
