import type { ChainEvent, ChainUsage } from '@stepwise/core';
import type { UiMessageChunk } from './ui-message-chunk';

/**
 * Turns UI message stream parts back into `ChainEvent`s; made by {@link createChainEventDecoder}.
 *
 * @example
 * ```ts
 * const decoder: ChainEventDecoder = createChainEventDecoder();
 * const events = parts.flatMap((part) => decoder.decode(part));
 * ```
 */
export interface ChainEventDecoder {
  /** The events one part stands for (zero or one). */
  decode(part: UiMessageChunk): ChainEvent[];
}

/**
 * Creates the stateful inverse of the server's mapping: `start` -> `chain-start`, `data-step` -> `step-start`,
 * `step-retry` or `step-end`, `text-delta` -> `text-delta`, `finish` (with the `data-usage` before it) -> `chain-end`,
 * `error` -> `error`. Parts with no event of their own (`text-start`, `text-end`, `source-document`, unknown parts)
 * give nothing.
 *
 * @example
 * ```ts
 * const decoder = createChainEventDecoder();
 * decoder.decode({ type: 'text-delta', id: 'answer', delta: 'Hi' }); // [{ type: 'text-delta', stepId: 'answer', delta: 'Hi' }]
 * ```
 */
export function createChainEventDecoder(): ChainEventDecoder {
  let usage: ChainUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, byModel: {} };
  let text: string | undefined;
  return {
    decode(part) {
      switch (part.type) {
        case 'start': {
          const meta = part.messageMetadata ?? {};
          return [{ type: 'chain-start', runId: meta.runId ?? part.messageId, chain: meta.chain ?? '' }];
        }
        case 'data-step': {
          const { data } = part;
          // a nested step (`detail: 'nested'`) names itself, and its place, in its data
          const stepId = data.stepId ?? part.id;
          const place: { parent?: string; index?: number } = {};
          if (data.parent !== undefined) place.parent = data.parent;
          if (data.parent !== undefined && data.index !== undefined) place.index = data.index;
          switch (data.status) {
            case 'running':
              return [{ type: 'step-start', stepId, stepType: data.stepType, ...place }];
            case 'retrying':
              return [
                {
                  type: 'step-retry',
                  stepId,
                  attempt: data.attempt ?? 2,
                  error: data.error ?? { name: 'Error', message: '' },
                  ...place,
                },
              ];
            case 'done': {
              const event: ChainEvent = {
                type: 'step-end',
                stepId,
                ...place,
                stepType: data.stepType,
                output: data.output,
                ms: data.ms ?? 0,
              };
              if (data.usage !== undefined) event.usage = data.usage;
              if (data.stepType === 'respond') text ??= '';
              return [event];
            }
            default:
              return [];
          }
        }
        case 'text-delta':
          text = (text ?? '') + part.delta;
          return [{ type: 'text-delta', stepId: part.id, delta: part.delta }];
        case 'data-usage':
          usage = part.data;
          return [];
        case 'finish': {
          const meta = part.messageMetadata ?? {};
          const event: ChainEvent = { type: 'chain-end', output: meta.output ?? null, usage, ms: meta.ms ?? 0 };
          if (text !== undefined) event.text = text;
          return [event];
        }
        case 'error': {
          const error: { name: string; message: string; stepId?: string } = {
            name: part.errorName ?? 'Error',
            message: part.errorText,
          };
          if (part.stepId !== undefined) error.stepId = part.stepId;
          return [{ type: 'error', error }];
        }
        default:
          return [];
      }
    },
  };
}
