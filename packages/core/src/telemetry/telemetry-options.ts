/**
 * Tracing options of a runtime (`createLocalRuntime({ telemetry })`, `createSfnRuntime({ telemetry })`). Spans go
 * through `@opentelemetry/api`, which does nothing until the application registers an SDK.
 *
 * @example
 * ```ts
 * const runtime = createLocalRuntime({ models, telemetry: { recordContent: true } satisfies TelemetryOptions });
 * ```
 */
export interface TelemetryOptions {
  /**
   * Record prompts, system prompts, answers, retrieval queries and retrieved documents on the spans
   * (`gen_ai.input.messages`, `gen_ai.system_instructions`, `gen_ai.output.messages`, `gen_ai.retrieval.*`), and
   * error messages in span statuses. They may hold personal data: off by default.
   */
  recordContent?: boolean;
  /** `false` creates no spans at all, even with an SDK registered. Default: `true`. */
  enabled?: boolean;
}
