import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AbortedError,
  type Chain,
  type ChainEvent,
  type ChainRuntime,
  isPushIterable,
  type StepRetryEvent,
} from '@stepwise/core';
import { createUiMessageEncoder } from '../create-ui-message-encoder';
import { type Failure, failureOf, failureOfEvent, RunFailure } from './failure';
import { publicErrorOf, retryMessageOf } from './public-error';
import { recordOf } from './request-record';
import { sendJson } from './send-json';
import type { ServerControl } from './server-control';
import { withTraceContext } from './trace-context';

/** What the run handlers share. @internal */
export interface RunEnvironment {
  runtime: ChainRuntime;
  control: ServerControl;
  logContent: boolean;
  /** Send original error messages and causes to clients. */
  exposeErrorDetails: boolean;
  /** Ask the runtime for step events as they happen (`RunOptions.live`). */
  live: boolean;
  /** How deep step events go (`RunOptions.detail`). */
  detail: 'top' | 'nested';
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
  'x-vercel-ai-ui-message-stream': 'v1',
};

const TEXT_HEADERS = {
  'content-type': 'text/plain; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
};

const DONE = 'data: [DONE]\n\n';

/** Retries kept for the log line of one request. */
const LOGGED_RETRIES = 20;

/**
 * Ties a run to its response: an abort controller aborted when the client disconnects before the answer
 * is complete (`onGone` is called first), and registered with the server control (graceful shutdown).
 */
function bindRun(env: RunEnvironment, res: ServerResponse, onGone: () => void) {
  const controller = new AbortController();
  const untrack = env.control.track(controller);
  const onClose = () => {
    if (res.writableFinished) return;
    onGone();
    controller.abort(new AbortedError('The client disconnected.'));
  };
  res.once('close', onClose);
  return {
    controller,
    release() {
      untrack();
      res.off('close', onClose);
    },
  };
}

/**
 * Runs a chain to the end and answers `200 {output, text?, usage, steps}`; a failed run is thrown to the error
 * handler as a {@link RunFailure} (a redacted JSON error).
 * @internal
 */
export async function invokeRun(
  env: RunEnvironment,
  res: ServerResponse,
  chain: Chain<any>,
  input: unknown,
): Promise<void> {
  const record = recordOf(res);
  let clientGone = false;
  const run = bindRun(env, res, () => {
    clientGone = true;
  });
  const runId = randomUUID();
  record.runId = runId;
  try {
    const result = await withTraceContext(res.req.headers, () =>
      env.runtime.run(chain, input, { signal: run.controller.signal, runId }),
    );
    record.inputTokens = result.usage.inputTokens;
    record.outputTokens = result.usage.outputTokens;
    if (env.logContent && result.text !== undefined) record.text = result.text;
    if (clientGone) {
      record.outcome = 'aborted';
      return;
    }
    record.outcome = 'ok';
    record.ttfbMs = Date.now() - record.startedAt;
    sendJson(res, 200, result);
  } catch (error) {
    if (clientGone) {
      record.outcome = 'aborted';
      return;
    }
    throw new RunFailure(failureOf(error));
  } finally {
    run.release();
  }
}

/**
 * Streams a run, one write per event, and stops at once when the client disconnects. Events are taken by push when
 * the runtime's stream offers it (runtime-local does: each event is written in the same call stack that emitted
 * it); other streams are pulled, honouring the response's back-pressure.
 *
 * - SSE: the head goes out with the first event (so input errors still get a JSON status). A failure after that
 *   ends the stream with the `error` part (redacted) and `[DONE]`, never `finish`.
 * - text/plain: the head goes out with the first text delta, so a run that fails before any text gets a JSON
 *   error with its status. A failure after text went out ends the connection without the chunked encoding's last
 *   chunk: HTTP/1.1 clients see a truncated body (curl exits 18, `fetch` rejects) instead of a clean end.
 * @internal
 */
export async function streamRun(
  env: RunEnvironment,
  req: IncomingMessage,
  res: ServerResponse,
  chain: Chain<any>,
  input: unknown,
  mode: 'sse' | 'text',
): Promise<void> {
  const record = recordOf(res);
  /** The client went away before the answer was complete (read for every event: a variable, not a field). */
  let clientGone = false;
  const run = bindRun(env, res, () => {
    clientGone = true;
  });
  const runId = randomUUID();
  record.runId = runId;
  const sse = mode === 'sse';
  const encoder = createUiMessageEncoder();
  let text = '';
  /** The response head went out. */
  let started = false;
  /** The run has emitted its last event (`chain-end` or `error`), or failed. */
  let finished = false;
  let failure: Failure | undefined;

  /**
   * Sets the response head. It goes out with the first write, in the same system call as the first event (a head
   * flushed on its own would cost every stream one more write, and reach the client no sooner).
   */
  const start = () => {
    started = true;
    res.writeHead(200, sse ? SSE_HEADERS : TEXT_HEADERS);
    record.ttfbMs = Date.now() - record.startedAt;
  };

  /** Writes one event; false when the response is full (back-pressure) or nothing more should be written. */
  const write = (event: ChainEvent): boolean => {
    if (finished || clientGone) return false;
    if (event.type === 'text-delta') {
      // the bulk of a stream, on the shortest path: nothing to observe but the text
      if (env.logContent) text += event.delta;
      if (!sse) {
        if (event.delta === '') return true;
        if (!started) start();
        return res.write(event.delta);
      }
      if (!started) start();
      return res.write(encoder.sse(event));
    }
    observe(event);
    if (event.type === 'error') {
      // the ending is written once the run has returned
      finished = true;
      failure = failureOfEvent(event.error);
      return false;
    }
    if (event.type === 'chain-end') finished = true;
    if (!sse) return !finished;
    const first = !started;
    if (first) start();
    const payload = encoder.sse(event.type === 'step-retry' ? publicRetry(event) : event);
    if (payload !== '') return res.write(payload) && !finished;
    // an event without a part (a retry of a step the stream never reported): the head still goes out now
    if (first) res.flushHeaders();
    return !finished;
  };

  try {
    try {
      const events = withTraceContext(req.headers, () =>
        env.runtime.stream(chain, input, {
          signal: run.controller.signal,
          runId,
          ...(env.live ? { live: true } : {}),
          ...(env.detail === 'nested' ? { detail: 'nested' as const } : {}),
        }),
      );
      if (isPushIterable(events)) {
        await events.forEach(write);
      } else {
        for await (const event of events) {
          if (!write(event)) {
            if (finished || clientGone) break;
            await drained(res);
            if (clientGone) break;
          }
        }
      }
    } catch (error) {
      if (!finished && !clientGone) {
        finished = true;
        failure = failureOf(error);
      }
    }
    if (clientGone) {
      record.outcome = 'aborted';
      return;
    }
    if (!finished) {
      failure = { name: 'InternalServerError', message: 'The run ended without chain-end or error.' };
    }
    // Nothing sent yet: a JSON error with its status, from the error handler.
    if (failure !== undefined && !started) throw new RunFailure(failure);
    if (failure !== undefined) {
      const shown = publicErrorOf(failure, {
        expose: env.exposeErrorDetails,
        requestId: record.requestId,
        draining: env.control.draining,
      });
      record.outcome = 'error';
      record.errorName = shown.name;
      record.failure = failure;
      if (failure.stepId !== undefined) record.stepId = failure.stepId;
      if (failure.name === 'InternalServerError') record.unexpected = true;
      if (sse) {
        res.end(serialize(encoder.fail(shown)) + DONE);
      } else {
        endWithoutLastChunk(res);
      }
      return;
    }
    if (!started) start();
    res.end(sse ? DONE : undefined);
  } finally {
    if (env.logContent && text !== '') record.text = text;
    run.release();
  }

  function publicRetry(event: StepRetryEvent): StepRetryEvent {
    if (env.exposeErrorDetails) return event;
    return { ...event, error: { name: event.error.name, message: retryMessageOf(event.error.name) } };
  }

  function observe(event: ChainEvent): void {
    switch (event.type) {
      case 'chain-start':
        record.runId = event.runId;
        break;
      case 'step-retry': {
        record.retries ??= [];
        const retries = record.retries;
        if (retries.length < LOGGED_RETRIES) {
          const { stepId, attempt, error } = event;
          retries.push({ stepId, attempt, error: error.name, message: error.message });
        }
        break;
      }
      case 'chain-end':
        record.outcome = 'ok';
        record.inputTokens = event.usage.inputTokens;
        record.outputTokens = event.usage.outputTokens;
        break;
    }
  }
}

function serialize(parts: ReadonlyArray<unknown>): string {
  let payload = '';
  for (const part of parts) payload += `data: ${JSON.stringify(part)}\n\n`;
  return payload;
}

/**
 * Ends a chunked response without its last (zero-length) chunk: what was written is flushed, then the connection
 * closes, and the client sees a body cut short.
 */
function endWithoutLastChunk(res: ServerResponse): void {
  const socket = res.socket;
  if (socket === null || socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end();
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
