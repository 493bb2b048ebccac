import {
  type Chain,
  type InvokeStep,
  type RetrieveStep,
  type RunTelemetry,
  renderTemplate,
  type Step,
  type TraceSpan,
  type TraceTiming,
} from '@stepwise/core';
import type { ExecutionOutput } from '../compiler/respond-request';
import type { UsagePlan } from '../compiler/usage-plan';
import { outputOf, ranItself, usageOf } from './recorded-steps';

/** A step's span and what is known of it. */
interface Placed {
  parent: TraceSpan;
  start: number;
  end: number;
  timing: TraceTiming;
  /** On the main path: the execution recorded its output (in `steps`) and its timing. */
  main: boolean;
  /** Its output, when the execution shows it (a main-path step, the last step of a branch or iteration). */
  output: unknown;
  known: boolean;
}

/** The error name a retried or caught state failed with, when its policy names one error only. */
function policyError(errors: readonly string[] | undefined): string {
  const only = errors?.length === 1 ? errors[0] : undefined;
  return only === undefined || only === 'States.ALL' || only === 'States.TaskFailed' ? '_OTHER' : only;
}

/** A failure known by its ASL error name only. */
function namedFailure(name: string): Error {
  const error = new Error(name);
  error.name = name;
  return error;
}

/**
 * Rebuilds the spans of the steps an execution ran, after it returned, from what it recorded: each main-path step
 * (top level, the chosen `choose` case, the picked `split` variant) with its real start and end (`timing`: a step ends
 * when the next one of its sequence starts, or when its container ends); the steps inside `parallel` branches and
 * `map` iterations with their container's times (`stepwise.timing = enclosing`); under each `invoke` a span per
 * attempt (failed ones, whose times Step Functions does not report, at the step's start, with no length) and under
 * each `retrieve` its search. Without `timing` (a machine compiled before it was recorded) every step takes the
 * execution's times. The same tree runtime-local builds live (decision 0009), within what the execution shows.
 * @internal
 */
export class ExecutionTrace {
  private readonly recorded: Record<string, unknown>;
  private readonly starts: { [stepId: string]: string | null };
  private readonly retries: { [stepId: string]: number | null };

  constructor(
    private readonly telemetry: RunTelemetry,
    private readonly chain: Chain,
    private readonly input: unknown,
    private readonly execution: ExecutionOutput,
    private readonly plan: UsagePlan,
  ) {
    this.recorded = execution.steps ?? {};
    this.starts = execution.timing?.start ?? {};
    this.retries = execution.timing?.retries ?? {};
  }

  /** The spans of the main-path steps, within the execution's start and end (milliseconds since the epoch). */
  build(started: number, stopped: number): void {
    const end = this.execution.timing ? Date.parse(this.execution.timing.end) : stopped;
    this.mainPath(this.chain.steps, this.telemetry.run, started, Number.isNaN(end) ? stopped : end);
  }

  private startOf(stepId: string): number | undefined {
    const value = this.starts[stepId];
    if (typeof value !== 'string') return undefined;
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }

  /** A sequence on the main path: the steps the execution recorded, each ending where the next one starts. */
  private mainPath(steps: readonly Step[], parent: TraceSpan, from: number, to: number): void {
    const ran = steps.filter((step) => step.type !== 'respond' && Object.hasOwn(this.recorded, step.id));
    ran.forEach((step, index) => {
      const recordedStart = this.startOf(step.id);
      const next = ran[index + 1];
      const nextStart = next ? this.startOf(next.id) : undefined;
      this.step(step, {
        parent,
        start: recordedStart ?? from,
        end: nextStart ?? to,
        timing: recordedStart === undefined ? 'enclosing' : 'recorded',
        main: true,
        output: outputOf(this.plan, step.id, this.recorded),
        known: true,
      });
    });
  }

  /** A sequence inside a branch or an iteration: every step ran; only the last one's output is known. */
  private nested(
    steps: readonly Step[],
    parent: TraceSpan,
    from: number,
    to: number,
    last: unknown,
    known: boolean,
  ): void {
    steps.forEach((step, index) => {
      const isLast = index === steps.length - 1;
      this.step(step, {
        parent,
        start: from,
        end: to,
        timing: 'enclosing',
        main: false,
        output: isLast ? last : undefined,
        known: isLast && known,
      });
    });
  }

  private step(step: Step, at: Placed): void {
    const { telemetry } = this;
    const span = telemetry.startStep(at.parent, step, { startTime: at.start, timing: at.timing });
    const retries = at.main ? this.retries[step.id] : undefined;
    const attempts = typeof retries === 'number' ? retries + 1 : undefined;
    let variant: string | undefined;
    switch (step.type) {
      case 'invoke':
      case 'retrieve':
        this.calls(step, span, at, attempts);
        break;
      case 'choose':
        if (at.main) {
          for (const branch of [...step.cases.map((entry) => entry.steps), step.otherwise ?? []]) {
            if (branch.some((inner) => Object.hasOwn(this.recorded, inner.id))) {
              this.mainPath(branch, span, at.start, at.end);
              break;
            }
          }
        }
        break;
      case 'split': {
        const picked = at.known ? (at.output as { variant?: unknown } | null)?.variant : undefined;
        if (typeof picked === 'string' && step.variants[picked]) {
          variant = picked;
          const inner = step.variants[picked].steps;
          if (at.main) this.mainPath(inner, span, at.start, at.end);
          else this.nested(inner, span, at.start, at.end, (at.output as { output?: unknown }).output, true);
        }
        break;
      }
      case 'parallel':
        for (const [name, branch] of Object.entries(step.branches)) {
          const output = at.known ? (at.output as Record<string, unknown> | null)?.[name] : undefined;
          this.nested(branch, span, at.start, at.end, output, at.known);
        }
        break;
      case 'map':
        // How many iterations ran shows in the map's output only.
        if (at.known && Array.isArray(at.output)) {
          for (const item of at.output) this.nested(step.steps, span, at.start, at.end, item, true);
        }
        break;
      default:
        break;
    }
    telemetry.endStep(span, {
      ...(attempts !== undefined ? { attempts } : {}),
      ...(variant !== undefined ? { variant } : {}),
      endTime: at.end,
    });
  }

  /**
   * The calls of an `invoke` or `retrieve`: the failed attempts a retry policy made (their error is the one the policy
   * names, when it names one), then the last attempt, which failed into the step's catch when its fallback ran.
   */
  private calls(step: InvokeStep | RetrieveStep, span: TraceSpan, at: Placed, attempts: number | undefined): void {
    const failedAttempt = namedFailure(policyError(step.policy?.retry?.errors));
    for (let attempt = 1; attempt < (attempts ?? 1); attempt++) {
      const call = this.startCall(step, span, at, { startTime: at.start, timing: 'enclosing' });
      this.endCall(step, call, { error: failedAttempt, endTime: at.start });
    }
    const caught = at.main && this.plan.wrap(step.id) === 'caught' && !ranItself(step.id, this.recorded);
    const call = this.startCall(step, span, at, { startTime: at.start, timing: at.timing });
    if (caught)
      this.endCall(step, call, { error: namedFailure(policyError(step.policy?.catch?.errors)), endTime: at.end });
    else this.endCall(step, call, { output: at.known ? at.output : undefined, endTime: at.end });
  }

  private startCall(
    step: InvokeStep | RetrieveStep,
    span: TraceSpan,
    at: Placed,
    start: { startTime: number; timing: TraceTiming },
  ): TraceSpan {
    const { telemetry } = this;
    if (step.type === 'retrieve') {
      const query = at.main && telemetry.recordContent ? this.render(step.query, step.id) : undefined;
      return telemetry.startRetrieval(
        span,
        {
          stepId: step.id,
          knowledgeBaseId: step.knowledgeBaseId,
          topK: step.topK ?? 5,
          ...(query !== undefined ? { query } : {}),
        },
        start,
      );
    }
    const request = {
      modelId: step.model,
      stepId: step.id,
      messages: [] as Array<{ role: 'user' | 'assistant'; content: string }>,
      ...(step.maxTokens !== undefined ? { maxTokens: step.maxTokens } : {}),
      ...(step.temperature !== undefined ? { temperature: step.temperature } : {}),
      ...(step.topP !== undefined ? { topP: step.topP } : {}),
      ...(step.stopSequences !== undefined ? { stopSequences: step.stopSequences } : {}),
    };
    if (at.main && telemetry.recordContent) {
      // The prompt as the machine rendered it: from the outputs of the steps before it, which the execution recorded.
      const prompt = this.render(step.prompt, step.id);
      if (prompt !== undefined) request.messages.push({ role: 'user', content: prompt });
      if (step.prefill) request.messages.push({ role: 'assistant', content: step.prefill });
      const system = step.system === undefined ? undefined : this.render(step.system, step.id);
      if (system !== undefined) Object.assign(request, { system });
    }
    return telemetry.startModelCall(span, { stepId: step.id, stepType: 'invoke', request, stream: false }, start);
  }

  private endCall(
    step: InvokeStep | RetrieveStep,
    call: TraceSpan,
    outcome: { output?: unknown; error?: unknown; endTime: number },
  ): void {
    const { telemetry } = this;
    if (step.type === 'retrieve') {
      const results = (outcome.output as { results?: unknown } | undefined)?.results;
      telemetry.endRetrieval(call, {
        ...(Array.isArray(results) ? { results } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        endTime: outcome.endTime,
      });
      return;
    }
    const usage = usageOf(outcome.output);
    const text = (outcome.output as { text?: unknown } | undefined)?.text;
    telemetry.endModelCall(call, {
      ...(usage ? { usage } : {}),
      ...(typeof text === 'string' ? { text } : {}),
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      endTime: outcome.endTime,
    });
  }

  /** A template rendered against the recorded state, or `undefined` when it reads what the state does not hold. */
  private render(template: string, stepId: string): string | undefined {
    const steps: Record<string, unknown> = {};
    for (const id of Object.keys(this.recorded)) steps[id] = outputOf(this.plan, id, this.recorded);
    try {
      return renderTemplate(template, { input: this.input, steps }, stepId);
    } catch {
      return undefined;
    }
  }
}

/**
 * The spans of a failed execution, which reports no step but the one that failed: that step under the steps that
 * contain it, each failing with the execution's error, and its model or knowledge-base call when it makes one. They
 * take the execution's times.
 * @internal
 */
export function traceFailure(
  telemetry: RunTelemetry,
  chain: Chain,
  stepId: string | undefined,
  error: unknown,
  started: number,
  stopped: number,
): void {
  const path = stepId === undefined ? undefined : pathTo(chain.steps, stepId);
  if (!path) return;
  const at = { startTime: started, timing: 'enclosing' as const };
  const spans: TraceSpan[] = [];
  let parent = telemetry.run;
  for (const step of path) {
    parent = telemetry.startStep(parent, step, at);
    spans.push(parent);
  }
  const failed = path.at(-1)!;
  if (failed.type === 'invoke') {
    const request = { modelId: failed.model, stepId: failed.id, messages: [] };
    const call = telemetry.startModelCall(
      parent,
      { stepId: failed.id, stepType: 'invoke', request, stream: false },
      at,
    );
    telemetry.endModelCall(call, { error, endTime: stopped });
  } else if (failed.type === 'retrieve') {
    const call = telemetry.startRetrieval(
      parent,
      { stepId: failed.id, knowledgeBaseId: failed.knowledgeBaseId, topK: failed.topK ?? 5 },
      at,
    );
    telemetry.endRetrieval(call, { error, endTime: stopped });
  }
  for (const span of spans.reverse()) telemetry.endStep(span, { error, endTime: stopped });
}

/** The steps from the top level down to `stepId`, through branches, cases, variants, iterations and fallbacks. */
function pathTo(steps: readonly Step[], stepId: string): Step[] | undefined {
  for (const step of steps) {
    if (step.id === stepId) return [step];
    const inner: Step[][] = [];
    if (step.type === 'parallel') inner.push(...Object.values(step.branches));
    if (step.type === 'choose') inner.push(...step.cases.map((entry) => entry.steps), step.otherwise ?? []);
    if (step.type === 'split') inner.push(...Object.values(step.variants).map((variant) => variant.steps));
    if (step.type === 'map') inner.push(step.steps);
    if (step.type !== 'respond' && step.policy?.catch) inner.push(step.policy.catch.fallback);
    for (const branch of inner) {
      const found = pathTo(branch, stepId);
      if (found) return [step, ...found];
    }
  }
  return undefined;
}
