import {
  addUsage,
  type Chain,
  type ChainUsage,
  emptyUsage,
  type KnowledgeBase,
  type ModelUsage,
  providerErrorOfHttpTask,
  type Step,
  type TaskHandler,
} from '@stepwise/core';
import { executeStateMachine, type HttpTaskRoutes } from '@stepwise/emulator';
import { createLocalRuntime, type FakeModelsOptions, fakeModels } from '@stepwise/runtime-local';
import { locateFailedStep } from '../runtime/locate-failed-step';
import { collectUsage } from '../runtime/recorded-steps';
import { compileChain } from './compile-chain';
import type { CompileOptions } from './compile-options';
import { executionInput } from './execution-input';
import type { ExecutionOutput } from './respond-request';
import { usagePlan } from './usage-plan';

/** What to run a chain with, on both sides. @internal */
export interface BothSides {
  models: FakeModelsOptions;
  knowledgeBases?: { [id: string]: KnowledgeBase };
  handlers?: { [name: string]: TaskHandler };
  random?: () => number;
  compile?: CompileOptions;
  /** Where the ASL side's HTTP Tasks go (a loopback server answered by fakes of the same options). */
  http?: HttpTaskRoutes;
}

/**
 * A run's result on one side: the chain output, the step outputs and the token usage of the model calls before
 * `respond` (on the ASL side, as the SFN runtime reads it from the execution output), or the ASL error name and the
 * failed step (on the ASL side, as the SFN runtime locates it).
 * @internal
 */
export type SideResult =
  | { ok: true; output: unknown; steps: Record<string, unknown>; usage: ChainUsage }
  | { ok: false; error: string; stepId?: string; message?: string };

/**
 * Test helper: runs a chain on runtime-local, and its compiled ASL on the emulator's interpreter with every Task routed
 * (by the emulator's routing) to fresh fakes built from the same options. Retry waits are skipped on the ASL side;
 * `random`, when given, also makes the ASL side's `States.MathRandom` draws.
 * @internal
 */
export async function runBoth(
  chain: Chain,
  input: unknown,
  sides: BothSides,
): Promise<{ local: SideResult; asl: SideResult; definition: unknown }> {
  const localRuntime = createLocalRuntime({
    models: fakeModels(sides.models),
    knowledgeBases: sides.knowledgeBases ?? {},
    handlers: sides.handlers ?? {},
    random: sides.random ?? (() => 0.5),
    // Retry waits and timeouts run a hundred times faster.
    clock: {
      now: () => Date.now(),
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms / 100),
      clearTimeout: (handle: unknown) => clearTimeout(handle as NodeJS.Timeout),
    },
  });
  let local: SideResult;
  try {
    const result = await localRuntime.run(chain, input);
    // The ASL side ends before `respond`: its output is the runtime's, after the execution.
    const steps = { ...(result.steps as Record<string, unknown>) };
    const last = chain.steps.at(-1);
    const usage = emptyUsage();
    for (const [modelId, call] of Object.entries(result.usage.byModel)) addUsage(usage, modelId, call);
    if (last?.type === 'respond') {
      const answer = (steps[last.id] as { usage: ModelUsage }).usage;
      addUsage(usage, last.model, { inputTokens: -answer.inputTokens, outputTokens: -answer.outputTokens });
      if (!JSON.stringify(chain.steps.slice(0, -1)).includes(JSON.stringify(last.model)))
        delete usage.byModel[last.model];
      delete steps[last.id];
    }
    local = { ok: true, output: ownOutput(chain, result.output), steps, usage };
  } catch (error) {
    const stepId = (error as { stepId?: string }).stepId;
    local = {
      ok: false,
      error: String((error as { error?: string }).error ?? (error as Error).name),
      ...(stepId !== undefined ? { stepId } : {}),
      message: (error as Error).message,
    };
  }
  const definition = compileChain(chain, sides.compile);
  const outcome = await executeStateMachine(
    definition as unknown as Record<string, unknown>,
    executionInput(input),
    {
      models: fakeModels(sides.models),
      knowledgeBases: sides.knowledgeBases ?? {},
      handlers: sides.handlers ?? {},
      http: sides.http,
    },
    { retryDelayMs: 0, ...(sides.random ? { random: sides.random } : {}) },
  );
  let asl: SideResult;
  if (outcome.status === 'SUCCEEDED') asl = { ok: true, ...pick(JSON.parse(outcome.output) as ExecutionOutput, chain) };
  else {
    const error = outcome.error ?? 'States.TaskFailed';
    const { stepId, cause } = locateFailedStep(chain, error, outcome.cause);
    asl = {
      ok: false,
      // As the SFN runtime reports it (decision 0007).
      error: providerErrorOfHttpTask(error) ?? error,
      ...(stepId !== undefined ? { stepId } : {}),
      ...(cause !== undefined ? { message: cause } : {}),
    };
  }
  return { local, asl, definition };
}

function pick(
  output: ExecutionOutput,
  chain: Chain,
): { output: unknown; steps: Record<string, unknown>; usage: ChainUsage } {
  // The machine output may also hold outputs of a catch fallback's earlier steps; runtimes read main-path steps only.
  const main = mainPathIds(chain.steps);
  const plan = usagePlan(chain.steps);
  const usage = emptyUsage();
  collectUsage(chain.steps, output.steps, plan, (modelId, call) => addUsage(usage, modelId, call));
  return {
    usage,
    output: ownOutput(chain, output.output),
    steps: Object.fromEntries(
      Object.entries(output.steps)
        .filter(([id]) => main.has(id))
        .map(([id, value]) => [id, plan.wrap(id) ? (value as { output: unknown }).output : value]),
    ),
  };
}

/** The chain output as the machine makes it: with `respond` and `chain.output`, the SFN runtime builds it later. */
function ownOutput(chain: Chain, output: unknown): unknown {
  return chain.steps.at(-1)?.type === 'respond' && chain.output ? 'built by the runtime after respond' : output;
}

/** Ids of the steps that run on the main path (and emit events): top level, choose cases, split variants. */
function mainPathIds(steps: Step[], into = new Set<string>()): Set<string> {
  for (const step of steps) {
    into.add(step.id);
    if (step.type === 'choose') {
      for (const entry of step.cases) mainPathIds(entry.steps, into);
      if (step.otherwise) mainPathIds(step.otherwise, into);
    }
    if (step.type === 'split') for (const variant of Object.values(step.variants)) mainPathIds(variant.steps, into);
  }
  return into;
}
