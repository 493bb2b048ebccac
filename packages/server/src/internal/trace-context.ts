import type { IncomingHttpHeaders } from 'node:http';
import { context, defaultTextMapGetter, propagation } from '@opentelemetry/api';

/**
 * Runs `fn` in the trace context that a request's headers carry (W3C `traceparent` and `tracestate`, or whatever
 * propagator the application registered), so the run it starts continues the caller's trace: the runtime takes the
 * active context when `run()` or `stream()` is called, and its run span becomes a child of the caller's span. Without
 * a registered propagator (no OpenTelemetry SDK), or without the headers, `fn` runs in the current context.
 * @internal
 *
 * @example
 * ```ts
 * const events = withTraceContext(req.headers, () => runtime.stream(chain, input, { signal }));
 * ```
 */
export function withTraceContext<T>(headers: IncomingHttpHeaders, fn: () => T): T {
  const extracted = propagation.extract(context.active(), headers, defaultTextMapGetter);
  return context.with(extracted, fn);
}
