import type { StopReason } from './model-provider';

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'content_filtered',
  'guardrail_intervened',
  'tool_use',
]);

/**
 * Reads a Bedrock stop reason (Converse and Amazon Nova use the same names): the value when it is one of
 * `StopReason`, `end_turn` otherwise.
 *
 * @example
 * ```ts
 * stopReasonOf('max_tokens'); // 'max_tokens'
 * stopReasonOf(undefined); // 'end_turn'
 * ```
 */
export function stopReasonOf(value: unknown): StopReason {
  return typeof value === 'string' && STOP_REASONS.has(value) ? (value as StopReason) : 'end_turn';
}
