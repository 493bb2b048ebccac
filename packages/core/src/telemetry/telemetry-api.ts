/**
 * A span attribute's value, as `@opentelemetry/api` takes it.
 *
 * @example
 * ```ts
 * const value: TelemetryAttributeValue = ['stop'];
 * ```
 */
export type TelemetryAttributeValue = string | number | boolean | string[] | number[];

/**
 * Span attributes by key; `undefined` values are left out.
 *
 * @example
 * ```ts
 * const attributes: TelemetryAttributes = { 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.request.top_p': undefined };
 * ```
 */
export type TelemetryAttributes = { [key: string]: TelemetryAttributeValue | undefined };

/**
 * The part of an `@opentelemetry/api` `Span` that stepwise uses (structural: core imports no OpenTelemetry package).
 *
 * @example
 * ```ts
 * function finish(span: TelemetrySpan) {
 *   span.setAttribute('gen_ai.usage.output_tokens', 12);
 *   span.end();
 * }
 * ```
 */
export interface TelemetrySpan {
  setAttribute(key: string, value: TelemetryAttributeValue): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes?: TelemetryAttributes): unknown;
  /** Ends the span, now or at `endTime` (milliseconds since the epoch). */
  end(endTime?: number): void;
  isRecording(): boolean;
}

/**
 * Options of a span as `Tracer.startSpan` takes them: kind, attributes, and a start time in milliseconds since the
 * epoch (a span rebuilt after the fact).
 *
 * @example
 * ```ts
 * const options: TelemetrySpanOptions = { kind: SPAN_KIND.client, attributes: { 'gen_ai.operation.name': 'chat' } };
 * ```
 */
export interface TelemetrySpanOptions {
  kind?: number;
  attributes?: TelemetryAttributes;
  startTime?: number;
}

/**
 * The part of an `@opentelemetry/api` `Tracer` that stepwise uses.
 *
 * @example
 * ```ts
 * const tracer: TelemetryTracer = trace.getTracer('@stepwise/runtime-local');
 * ```
 */
export interface TelemetryTracer {
  startSpan(name: string, options?: TelemetrySpanOptions, context?: unknown): TelemetrySpan;
}

/**
 * The part of `@opentelemetry/api` that stepwise uses, typed structurally so that core stays free of run-time
 * dependencies: a runtime passes `{ trace, context }` from `@opentelemetry/api` and a tracer of its own name.
 * `Context` stays opaque here.
 *
 * @example
 * ```ts
 * import { context, trace } from '@opentelemetry/api';
 *
 * const api: TelemetryApi = { trace, context, tracer: trace.getTracer('@stepwise/runtime-local') };
 * ```
 */
export interface TelemetryApi {
  trace: { setSpan(context: unknown, span: TelemetrySpan): unknown };
  context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  tracer: TelemetryTracer;
}

/**
 * OpenTelemetry span kinds, as `@opentelemetry/api`'s `SpanKind` numbers them.
 *
 * @example
 * ```ts
 * tracer.startSpan('chat gpt-4o-mini', { kind: SPAN_KIND.client });
 * ```
 */
export const SPAN_KIND = { internal: 0, client: 2 } as const;

/**
 * OpenTelemetry span status codes, as `@opentelemetry/api`'s `SpanStatusCode` numbers them.
 *
 * @example
 * ```ts
 * span.setStatus({ code: SPAN_STATUS.error, message: 'Bedrock.ThrottlingException' });
 * ```
 */
export const SPAN_STATUS = { unset: 0, ok: 1, error: 2 } as const;
