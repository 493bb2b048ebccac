import type { ChainEvent, StepEndEvent, StepRetryEvent, StepStartEvent, StepType } from '@stepwise/core';
import type { StepPartData, UiMessageChunk } from './client/ui-message-chunk';

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

/** A step the stream reported (by the id of its `data-step` part): its type, and its place when nested. */
interface ReportedStep {
  stepType: StepType;
  stepId: string;
  parent: string | undefined;
  index: number | undefined;
}

/**
 * Creates the stateful mapping from stepwise `ChainEvent`s to the AI SDK UI message stream protocol v1:
 * `chain-start` -> `start`; `step-start`/`step-retry`/`step-end` -> `data-step` (id = step id, updated in place);
 * `retrieve` results -> `source-document`; text deltas -> `text-start`, `text-delta`..., `text-end` (id = step id);
 * `chain-end` -> `data-usage`, `finish`; `error` -> `data-step` failed (for each running step), `error`. Durations
 * (`ms`) go out rounded to 0.1 ms. A nested step's events (a runtime streaming with `detail: 'nested'`) add
 * `stepId`, `parent` and `index` to the part's data, and inside a `map` the part's id is `<stepId>[<index>]`, so each
 * iteration's step is a part of its own.
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
  const steps = new Map<string, ReportedStep>();
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
    for (const id of running) {
      const step = steps.get(id)!;
      const data = stepData('failed', step.stepType, step);
      data.error = { name: error.name, message: error.message };
      parts.push({ type: 'data-step', id, data });
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
      case 'step-start': {
        const id = partId(event);
        steps.set(id, reported(event));
        running.add(id);
        return [{ type: 'data-step', id, data: stepData('running', event.stepType, event) }];
      }
      case 'step-retry': {
        const id = partId(event);
        const step = steps.get(id);
        if (step === undefined) return [];
        const data = stepData('retrying', step.stepType, event);
        data.attempt = event.attempt;
        data.error = event.error;
        return [{ type: 'data-step', id, data }];
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
        const id = partId(event);
        running.delete(id);
        steps.set(id, reported(event));
        const data = stepData('done', event.stepType, event);
        data.output = event.output;
        data.ms = roundMs(event.ms);
        if (event.usage !== undefined) data.usage = event.usage;
        parts.push({ type: 'data-step', id, data });
        if (event.stepType === 'retrieve') parts.push(...sourceDocuments(id, event.stepId, event.output));
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
      if (event.type === 'text-delta') textPrefix = textDeltaPrefix(event.stepId);
      return text;
    },
  };
}

/**
 * The start of a `text-delta` part's SSE line for a step: `data: {"type":"text-delta","id":"<stepId>","delta":`. Made
 * once per text part as one flat string (`join`, where a template literal would give a rope), so that each delta's
 * line, the prefix, the delta's JSON and `}\n\n`, is a rope of three pieces that the socket write flattens cheaply.
 */
function textDeltaPrefix(stepId: string): string {
  return ['data: {"type":"text-delta","id":', JSON.stringify(stepId), ',"delta":'].join('');
}

/** The id of a step's `data-step` part: the step id, with the iteration inside a `map`. */
function partId(event: StepStartEvent | StepEndEvent | StepRetryEvent): string {
  return event.index === undefined ? event.stepId : `${event.stepId}[${event.index}]`;
}

function reported(event: StepStartEvent | StepEndEvent): ReportedStep {
  return { stepType: event.stepType, stepId: event.stepId, parent: event.parent, index: event.index };
}

/** A `data-step` part's data: status and type, then where a nested step runs (`stepId`, `parent`, `index`). */
function stepData(
  status: StepPartData['status'],
  stepType: StepType,
  event: { stepId: string; parent?: string | undefined; index?: number | undefined },
): StepPartData {
  const data: StepPartData = { status, stepType };
  if (event.parent !== undefined) {
    data.stepId = event.stepId;
    data.parent = event.parent;
    if (event.index !== undefined) data.index = event.index;
  }
  return data;
}

/** A duration as the stream sends it: milliseconds rounded to 0.1 ms (timers give 152.77060900000015). */
function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function sourceDocuments(id: string, stepId: string, output: unknown): UiMessageChunk[] {
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
      sourceId: `${id}-${index}`,
      mediaType: 'text/plain',
      title,
      providerMetadata: { stepwise: meta },
    });
  });
  return parts;
}
