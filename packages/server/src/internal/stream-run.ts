import { randomUUID } from 'node:crypto';
import {
  AbortedError,
  type Chain,
  type ChainEvent,
  type ChainRuntime,
  isPushIterable,
  StepwiseError,
} from '@stepwise/core';
import type { Request, Response } from 'express';
import { createUiMessageEncoder } from '../create-ui-message-encoder';
import { safeStreamError } from './error-response';
import { recordOf } from './request-record';
import type { ServerControl } from './server-control';

/** What the run handlers share. @internal */
export interface RunEnvironment {
  runtime: ChainRuntime;
  control: ServerControl;
  logContent: boolean;
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

/**
 * Ties a run to its response: an abort controller aborted when the client disconnects before the answer
 * is complete, and registered with the server control (graceful shutdown).
 */
function bindRun(env: RunEnvironment, res: Response) {
  const controller = new AbortController();
  const untrack = env.control.track(controller);
  const state = { clientGone: false };
  const onClose = () => {
    if (res.writableFinished) return;
    state.clientGone = true;
    controller.abort(new AbortedError('The client disconnected.'));
  };
  res.once('close', onClose);
  return {
    controller,
    state,
    release() {
      untrack();
      res.off('close', onClose);
    },
  };
}

/**
 * Runs a chain to the end and answers `200 {output, text?, usage, steps}`; failures are thrown to the error handler.
 * @internal
 */
export async function invokeRun(env: RunEnvironment, res: Response, chain: Chain<any>, input: unknown): Promise<void> {
  const record = recordOf(res);
  const run = bindRun(env, res);
  const runId = randomUUID();
  record.runId = runId;
  try {
    const result = await env.runtime.run(chain, input, { signal: run.controller.signal, runId });
    record.inputTokens = result.usage.inputTokens;
    record.outputTokens = result.usage.outputTokens;
    if (env.logContent && result.text !== undefined) record.text = result.text;
    if (run.state.clientGone) {
      record.outcome = 'aborted';
      return;
    }
    record.outcome = 'ok';
    record.ttfbMs = Date.now() - record.startedAt;
    res.status(200).json(result);
  } catch (error) {
    if (run.state.clientGone) {
      record.outcome = 'aborted';
      return;
    }
    throw error;
  } finally {
    run.release();
  }
}

/**
 * Streams a run: waits for the first event (so input errors still get a JSON status), then writes the SSE stream
 * (or bare text deltas), one write per event, and stops at once when the client disconnects. Events are taken by
 * push when the runtime's stream offers it (runtime-local does: each event is written in the same call stack that
 * emitted it); other streams are pulled, honouring the response's back-pressure.
 * @internal
 */
export async function streamRun(
  env: RunEnvironment,
  _req: Request,
  res: Response,
  chain: Chain<any>,
  input: unknown,
  mode: 'sse' | 'text',
): Promise<void> {
  const record = recordOf(res);
  const run = bindRun(env, res);
  const runId = randomUUID();
  record.runId = runId;
  const encoder = createUiMessageEncoder();
  let text = '';
  let started = false;
  /** The run has emitted its last event (`chain-end` or `error`). */
  let finished = false;

  /** Writes one event; false when the response is full (back-pressure) or nothing more should be written. */
  const write = (event: ChainEvent): boolean => {
    if (finished || run.state.clientGone) return false;
    if (!started) {
      started = true;
      res.writeHead(200, mode === 'sse' ? SSE_HEADERS : TEXT_HEADERS);
      res.flushHeaders();
      record.ttfbMs = Date.now() - record.startedAt;
    }
    observe(event);
    if (event.type === 'chain-end' || event.type === 'error') finished = true;
    const payload = mode === 'sse' ? encoder.sse(event) : event.type === 'text-delta' ? event.delta : '';
    return (payload === '' || res.write(payload)) && !finished;
  };

  try {
    const events = env.runtime.stream(chain, input, { signal: run.controller.signal, runId });
    try {
      if (isPushIterable(events)) {
        await events.forEach(write);
      } else {
        for await (const event of events) {
          if (!write(event)) {
            if (finished || run.state.clientGone) break;
            await drained(res);
            if (run.state.clientGone) break;
          }
        }
      }
    } catch (error) {
      // Before the first event: a JSON error from the error handler (input validation, mostly).
      if (!started && !run.state.clientGone) throw error;
      if (!run.state.clientGone && !finished) {
        const safe = safeStreamError(error);
        record.outcome = 'error';
        record.errorName = safe.name;
        if (mode === 'sse') res.write(serialize(encoder.fail(safe)));
        finished = true;
      }
      if (!StepwiseError.isInstance(error)) record.unexpected = error;
    }
    if (run.state.clientGone) {
      record.outcome = 'aborted';
      return;
    }
    if (!started) {
      res.writeHead(200, mode === 'sse' ? SSE_HEADERS : TEXT_HEADERS);
      record.ttfbMs = Date.now() - record.startedAt;
    }
    if (!finished) {
      const safe = { name: 'InternalServerError', message: 'The run ended without a result.' };
      record.outcome = 'error';
      record.errorName = safe.name;
      if (mode === 'sse') res.write(serialize(encoder.fail(safe)));
    }
    res.end(mode === 'sse' ? DONE : undefined);
  } finally {
    if (env.logContent && text !== '') record.text = text;
    run.release();
  }

  function observe(event: ChainEvent): void {
    switch (event.type) {
      case 'chain-start':
        record.runId = event.runId;
        break;
      case 'text-delta':
        if (env.logContent) text += event.delta;
        break;
      case 'chain-end':
        record.outcome = 'ok';
        record.inputTokens = event.usage.inputTokens;
        record.outputTokens = event.usage.outputTokens;
        break;
      case 'error':
        record.outcome = 'error';
        record.errorName = event.error.name;
        if (event.error.stepId !== undefined) record.stepId = event.error.stepId;
        break;
    }
  }
}

function serialize(parts: ReadonlyArray<unknown>): string {
  let payload = '';
  for (const part of parts) payload += `data: ${JSON.stringify(part)}\n\n`;
  return payload;
}

/** Resolves when the response can take more, or is gone. */
function drained(res: Response): Promise<void> {
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
