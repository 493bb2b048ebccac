import type { ChainEvent, StepType } from '@stepwise/core';
import type { UiMessageChunk } from './client/ui-message-chunk';

/**
 * Turns `ChainEvent`s into AI SDK UI message stream parts; made by {@link createUiMessageEncoder}.
 *
 * @example
 * ```ts
 * const encoder: UiMessageEncoder = createUiMessageEncoder();
 * res.write(encoder.sse({ type: 'chain-start', runId: 'r1', chain: 'qa' }));
 * ```
 */
export interface UiMessageEncoder {
  /** The parts for one event (zero or more). */
  encode(event: ChainEvent): UiMessageChunk[];
  /** The SSE text for one event: `data: <part>\n\n` per part (a fast path for text deltas). */
  sse(event: ChainEvent): string;
  /**
   * The parts that end a failed stream: closes the open text part, marks the running steps failed, then `error`
   * (with the ASL error name, `retryable`, the cause and the request id when given).
   */
  fail(error: StreamError): UiMessageChunk[];
}

/**
 * A failure as {@link UiMessageEncoder.fail} writes it: the `error` part's `errorName`, `errorText`, `stepId`, and
 * the optional `error` (ASL name), `retryable`, `cause` and `requestId`.
 *
 * @example
 * ```ts
 * const failure: StreamError = { name: 'StepFailedError', message: 'Step "answer" failed.', stepId: 'answer' };
 * ```
 */
export interface StreamError {
  name: string;
  message: string;
  stepId?: string;
  /** The ASL error name (`Bedrock.ThrottlingException`, a handler's error name). */
  error?: string;
  retryable?: boolean;
  cause?: string;
  requestId?: string;
}

/** Longest `title` of a `source-document` made from a retrieved text without a source. */
const TITLE_LENGTH = 80;

/**
 * Creates the stateful mapping from stepwise `ChainEvent`s to the AI SDK UI message stream protocol v1:
 * `chain-start` -> `start`; `step-start`/`step-retry`/`step-end` -> `data-step` (id = step id, updated in place);
 * `retrieve` results -> `source-document`; text deltas -> `text-start`, `text-delta`..., `text-end` (id = step id);
 * `chain-end` -> `data-usage`, `finish`; `error` -> `data-step` failed (for each running step), `error`. Durations
 * (`ms`) go out rounded to 0.1 ms.
 *
 * @example
 * ```ts
 * const encoder = createUiMessageEncoder();
 * for await (const event of runtime.stream(chain, input)) {
 *   for (const part of encoder.encode(event)) res.write(`data: ${JSON.stringify(part)}\n\n`);
 * }
 * res.end('data: [DONE]\n\n');
 * ```
 */
export function createUiMessageEncoder(): UiMessageEncoder {
  const stepTypes = new Map<string, StepType>();
  const running = new Set<string>();
  let openText: string | undefined;

  const closeText = (parts: UiMessageChunk[]) => {
    if (openText !== undefined) {
      parts.push({ type: 'text-end', id: openText });
      openText = undefined;
    }
  };

  const fail = (error: StreamError): UiMessageChunk[] => {
    const parts: UiMessageChunk[] = [];
    closeText(parts);
    for (const stepId of running) {
      parts.push({
        type: 'data-step',
        id: stepId,
        data: {
          status: 'failed',
          stepType: stepTypes.get(stepId)!,
          error: { name: error.name, message: error.message },
        },
      });
    }
    running.clear();
    const part: UiMessageChunk & { type: 'error' } = { type: 'error', errorText: error.message, errorName: error.name };
    if (error.stepId !== undefined) part.stepId = error.stepId;
    if (typeof error.error === 'string') part.error = error.error;
    if (error.retryable === true) part.retryable = true;
    if (typeof error.cause === 'string') part.cause = error.cause;
    if (typeof error.requestId === 'string') part.requestId = error.requestId;
    parts.push(part);
    return parts;
  };

  const encode = (event: ChainEvent): UiMessageChunk[] => {
    switch (event.type) {
      case 'chain-start':
        return [{ type: 'start', messageId: event.runId, messageMetadata: { chain: event.chain, runId: event.runId } }];
      case 'step-start':
        stepTypes.set(event.stepId, event.stepType);
        running.add(event.stepId);
        return [{ type: 'data-step', id: event.stepId, data: { status: 'running', stepType: event.stepType } }];
      case 'step-retry': {
        const stepType = stepTypes.get(event.stepId);
        if (stepType === undefined) return [];
        return [
          {
            type: 'data-step',
            id: event.stepId,
            data: { status: 'retrying', stepType, attempt: event.attempt, error: event.error },
          },
        ];
      }
      case 'text-delta': {
        const parts: UiMessageChunk[] = [];
        if (openText !== event.stepId) {
          closeText(parts);
          parts.push({ type: 'text-start', id: event.stepId });
          openText = event.stepId;
        }
        parts.push({ type: 'text-delta', id: event.stepId, delta: event.delta });
        return parts;
      }
      case 'step-end': {
        const parts: UiMessageChunk[] = [];
        if (openText === event.stepId) closeText(parts);
        running.delete(event.stepId);
        stepTypes.set(event.stepId, event.stepType);
        const data: UiMessageChunk & { type: 'data-step' } = {
          type: 'data-step',
          id: event.stepId,
          data: { status: 'done', stepType: event.stepType, output: event.output, ms: roundMs(event.ms) },
        };
        if (event.usage !== undefined) data.data.usage = event.usage;
        parts.push(data);
        if (event.stepType === 'retrieve') parts.push(...sourceDocuments(event.stepId, event.output));
        return parts;
      }
      case 'chain-end': {
        const parts: UiMessageChunk[] = [];
        closeText(parts);
        parts.push({ type: 'data-usage', data: event.usage });
        parts.push({
          type: 'finish',
          finishReason: 'stop',
          messageMetadata: { output: event.output, ms: roundMs(event.ms) },
        });
        return parts;
      }
      case 'error':
        return fail(event.error);
    }
  };

  let textPrefix = '';
  return {
    fail,
    encode,
    sse(event) {
      if (event.type === 'text-delta' && openText === event.stepId) {
        // the bulk of a stream: skip building the part object
        return `${textPrefix}${JSON.stringify(event.delta)}}\n\n`;
      }
      let text = '';
      for (const part of encode(event)) text += `data: ${JSON.stringify(part)}\n\n`;
      if (event.type === 'text-delta')
        textPrefix = `data: {"type":"text-delta","id":${JSON.stringify(event.stepId)},"delta":`;
      return text;
    },
  };
}

/** A duration as the stream sends it: milliseconds rounded to 0.1 ms (timers give 152.77060900000015). */
function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function sourceDocuments(stepId: string, output: unknown): UiMessageChunk[] {
  const results = (output as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return [];
  const parts: UiMessageChunk[] = [];
  results.forEach((result: { text?: unknown; score?: unknown; source?: unknown }, index) => {
    if (typeof result !== 'object' || result === null) return;
    const text = typeof result.text === 'string' ? result.text : '';
    const source = typeof result.source === 'string' ? result.source : undefined;
    const title = source ?? (text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text);
    const meta: { stepId: string; score: number; source?: string } = {
      stepId,
      score: typeof result.score === 'number' ? result.score : 0,
    };
    if (source !== undefined) meta.source = source;
    parts.push({
      type: 'source-document',
      sourceId: `${stepId}-${index}`,
      mediaType: 'text/plain',
      title,
      providerMetadata: { stepwise: meta },
    });
  });
  return parts;
}
