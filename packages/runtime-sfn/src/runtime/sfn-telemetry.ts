import { context, trace } from '@opentelemetry/api';
import { RunTelemetry, type TelemetryApi, type TelemetryOptions } from '@stepwise/core';

/** `@opentelemetry/api` as core's telemetry takes it; the tracer is a proxy that follows an SDK registered later. */
const api: TelemetryApi = { trace, context, tracer: trace.getTracer('@stepwise/runtime-sfn') };

/**
 * The caller's OpenTelemetry context, taken when `run()` or `stream()` is called: the run span's parent.
 * @internal
 */
export function activeContext(): unknown {
  return context.active();
}

/**
 * Starts the spans of one Step Functions run under `parent`; `undefined` when they would not record.
 * @internal
 */
export function startSfnTelemetry(
  options: TelemetryOptions | undefined,
  chain: string,
  runId: string | undefined,
  parent: unknown,
): RunTelemetry | undefined {
  return RunTelemetry.start(api, options, { chain, runId, runtime: 'sfn', parent });
}
