import { createOpenAI } from '@ai-sdk/openai';
import {
  type Chain,
  ChainDefinitionError,
  type ChainRuntime,
  defineChain,
  type KnowledgeBase,
  type ModelProvider,
  type TaskHandler,
} from '@stepwise/core';
import { type OpenAiCompatibleServer, STEP_ID_HEADER, startEmulator, startOpenAiCompatible } from '@stepwise/emulator';
import { type Clock, createLocalRuntime } from '@stepwise/runtime-local';
import { aiSdkModels } from '@stepwise/runtime-local/ai-sdk';
import { compileChain, createSfnRuntime, type ProviderConnections } from '../../src/index';
import { compareObservations, type Mismatch } from './compare-observations';
import { INTRINSIC_LIMIT, intrinsicFields } from './count-intrinsics';
import { type FuzzCase, HANDLER_SLOTS, KNOWLEDGE_BASE_ID } from './fuzz-case';
import { type FuzzServices, fuzzServices, jitteredServices } from './fuzz-services';
import { type KnownDifference, knownDifferences } from './known-differences';
import { normaliseMessage } from './normalise-message';
import { type Observation, observeRun } from './observe-run';
import { allSteps } from './step-index';

/**
 * What the fuzzer found for one case.
 * - `agree`: both runtimes did the same, and the definition is within AWS's limits;
 * - `refused`: `defineChain` refused the chain with a `ChainDefinitionError` (`refusal` is its message);
 * - `tolerated`: every mismatch is a known difference;
 * - `mismatch`: at least one mismatch is not (in `untolerated`).
 *
 * @example
 * ```ts
 * const report: CaseReport = await harness.check(fuzzCase);
 * if (report.status === 'mismatch') console.log(report.untolerated.map((m) => m.kind));
 * ```
 */
export interface CaseReport {
  status: 'agree' | 'refused' | 'tolerated' | 'mismatch';
  chain?: Chain;
  refusal?: string;
  mismatches: Mismatch[];
  untolerated: Mismatch[];
  tolerated: Array<{ mismatch: Mismatch; difference: string }>;
  /** The largest intrinsic call count of any field of the compiled definition (0 when it did not compile). */
  intrinsicMax: number;
  local?: Observation;
  sfn?: Observation;
}

/**
 * One emulator and both runtimes, reused for every case of a fuzz run.
 *
 * @example
 * ```ts
 * const harness = await startDifferentialHarness();
 * try {
 *   const report = await harness.check(fuzzCase);
 * } finally {
 *   await harness.close();
 * }
 * ```
 */
export interface DifferentialHarness {
  /** Defines, compiles and runs a case on both runtimes, and compares. */
  check(fuzzCase: FuzzCase): Promise<CaseReport>;
  /**
   * Service calls that reached the emulator's fakes while no case ran on it: work of an execution that went on
   * after the execution had returned. While it is 0, no case saw another's calls.
   */
  readonly strays: number;
  close(): Promise<void>;
}

const connection = (name: string) =>
  `arn:aws:events:us-east-1:123456789012:connection/${name}/4e0a2b34-0000-4000-8000-000000000000`;
/** Where a `compatible:` model's endpoint is, as deployed. */
const GATEWAY = 'https://gateway.example.com/v1';
/** The connections of other providers' models, as a deploy would give them. */
const PROVIDERS: ProviderConnections = {
  openai: { connectionArn: connection('openai') },
  anthropic: { connectionArn: connection('anthropic') },
  compatible: { connectionArn: connection('gateway'), endpoint: `${GATEWAY}/chat/completions` },
};

/** Local runs with other timings tried before a difference that a race could explain counts as one. */
const RACE_ATTEMPTS = 6;

/** runtime-local's policy delays and step timeouts, 25 times shorter (a 1 s timeout is 40 ms, a margin for a busy machine). */
const fastClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms / 25),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The emulator's services for the whole fuzz run: stable objects that forward to the current case's fresh fakes,
 * so one emulator serves every case (and a handler name a case does not define stays unknown).
 */
function forwardingServices(current: () => FuzzServices): {
  models: ModelProvider;
  knowledgeBases: { [id: string]: KnowledgeBase };
  handlers: { [name: string]: TaskHandler };
} {
  const handlers: { [name: string]: TaskHandler } = {};
  for (let slot = 0; slot < HANDLER_SLOTS; slot++) {
    const name = `h${slot}`;
    handlers[name] = (input, context) => {
      const handler = current().handlers[name];
      if (!handler) throw new Error(`The fuzz case defines no handler ${name}.`);
      return handler(input, context);
    };
  }
  return {
    models: {
      specificationVersion: 'v1',
      provider: 'fuzz',
      doInvoke: (request, options) => current().models.doInvoke(request, options),
      doStream: (request, options) => current().models.doStream(request, options),
    },
    knowledgeBases: {
      [KNOWLEDGE_BASE_ID]: {
        specificationVersion: 'v1',
        retrieve: (request, options) => current().knowledgeBases[KNOWLEDGE_BASE_ID]!.retrieve(request, options),
      },
    },
    handlers,
  };
}

function isTolerated(
  mismatch: Mismatch,
  fuzzCase: FuzzCase,
  chain: Chain,
  differences: readonly KnownDifference[],
): KnownDifference | undefined {
  return differences.find((difference) => difference.matches(mismatch, { fuzzCase, chain }));
}

/**
 * Starts the emulator (one for the whole run) and both runtimes on it: runtime-local in process and the SFN runtime
 * through the real SDK clients. Each case gets fresh fakes on each side, the same `random`, and a chain name of
 * its own (the SFN runtime deploys each name once).
 *
 * @example
 * ```ts
 * const harness = await startDifferentialHarness();
 * const report = await harness.check(fuzzCase);
 * await harness.close();
 * ```
 */
export async function startDifferentialHarness(
  options: { differences?: readonly KnownDifference[]; guardMs?: number } = {},
): Promise<DifferentialHarness> {
  const differences = options.differences ?? knownDifferences;
  let current: FuzzServices | undefined;
  let strays = 0;
  let random = 0.5;
  const services = forwardingServices(() => {
    if (!current) {
      strays += 1;
      throw new Error('No fuzz case is running.');
    }
    return current;
  });
  // Other providers' APIs on loopback, answered by the same fakes: the emulator's HTTP Tasks go there, and so does the
  // SFN runtime's `respond` stream on such a model, through a real @ai-sdk/openai client.
  const loopbacks: OpenAiCompatibleServer[] = await Promise.all(
    (['openai', 'anthropic', 'compatible'] as const).map((provider) =>
      startOpenAiCompatible({ models: services.models, provider }),
    ),
  );
  const [openai, anthropic, compatible] = loopbacks as [
    OpenAiCompatibleServer,
    OpenAiCompatibleServer,
    OpenAiCompatibleServer,
  ];
  const emulator = await startEmulator({
    ...services,
    retryDelayMs: 0,
    random: () => random,
    httpEndpoints: {
      'https://api.openai.com/v1': openai.baseUrl,
      'https://api.anthropic.com/v1': anthropic.baseUrl,
      [GATEWAY]: compatible.baseUrl,
    },
  });
  const client = (server: OpenAiCompatibleServer) => createOpenAI({ baseURL: server.baseUrl, apiKey: 'test' });
  const sfn: ChainRuntime = createSfnRuntime({
    endpoint: emulator.sfnEndpoint,
    bedrockEndpoint: emulator.bedrockEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    roleArn: 'arn:aws:iam::123456789012:role/stepwise-fuzz',
    compileOptions: { providers: PROVIDERS },
    models: aiSdkModels(
      { openai: (id) => client(openai).chat(id), compatible: (id) => client(compatible).chat(id) },
      { stepIdHeader: STEP_ID_HEADER },
    ),
  });
  let runs = 0;

  return {
    async check(fuzzCase) {
      runs += 1;
      const report: CaseReport = { status: 'agree', mismatches: [], untolerated: [], tolerated: [], intrinsicMax: 0 };
      let chain: Chain;
      try {
        chain = defineChain({
          name: `fuzz${runs}`,
          steps: fuzzCase.steps,
          ...(fuzzCase.output ? { output: fuzzCase.output } : {}),
        });
      } catch (error) {
        // A clear refusal is a ChainDefinitionError that says where: the step (or the chain) and the problem.
        const clear =
          ChainDefinitionError.isInstance(error) && /^(?:Step|Chain) "[^"]*"\S*:? .{10,}/s.test(error.message);
        if (clear) return { ...report, status: 'refused', refusal: error.message };
        report.mismatches.push({
          kind: ChainDefinitionError.isInstance(error)
            ? 'define: defineChain refuses without naming the step or the chain'
            : `define: defineChain failed with ${(error as Error)?.name} instead of a ChainDefinitionError`,
          detail: String((error as Error)?.stack ?? error),
        });
        return finish(report, fuzzCase, undefined);
      }
      report.chain = chain;

      let compiled = false;
      try {
        const fields = intrinsicFields(compileChain(chain, { providers: PROVIDERS }));
        compiled = true;
        for (const field of fields) {
          report.intrinsicMax = Math.max(report.intrinsicMax, field.calls);
          if (field.calls > INTRINSIC_LIMIT) {
            report.mismatches.push({
              kind: `intrinsics: over ${INTRINSIC_LIMIT} calls in ${field.stateType} ${field.field.replace(/\.\d+\./g, '.*.')}`,
              detail: `${field.calls} calls in ${field.state} ${field.field}: ${field.expression.slice(0, 200)}`,
              sfn: field.calls,
            });
          }
        }
      } catch (error) {
        report.mismatches.push({
          kind: `compile: compileChain refuses a chain defineChain accepts: ${normaliseMessage(String((error as Error)?.message ?? error))}`,
          detail: String((error as Error)?.message ?? error),
        });
      }
      if (!compiled) return finish(report, fuzzCase, chain);

      const guardMs = options.guardMs ?? 30_000;
      const input = fuzzCase.input;
      report.local = await observeRun(
        () => {
          const services = fuzzServices(fuzzCase);
          const runtime = createLocalRuntime({ ...services, clock: fastClock, random: () => fuzzCase.random });
          return { runtime, requests: services.models.calls };
        },
        chain,
        input,
        guardMs,
      );
      random = fuzzCase.random;
      report.sfn = await observeRun(
        () => {
          current = fuzzServices(fuzzCase);
          return { runtime: sfn, requests: current.models.calls };
        },
        chain,
        input,
        guardMs,
      );
      current = undefined;
      const mismatches = compareObservations(chain.steps, report.local, report.sfn);
      report.mismatches.push(...(await unlessRace(fuzzCase, chain, report.sfn, mismatches, guardMs)));
      return finish(report, fuzzCase, chain);
    },
    get strays() {
      return strays;
    },
    async close() {
      await Promise.all([emulator.close(), ...loopbacks.map((server) => server.close())]);
    },
  };

  /**
   * Mismatches that a race can explain (steps that run at once failing or ending in another order) are a race when a
   * local run with other timings (each call a few random milliseconds late) gives what SFN gave.
   */
  async function unlessRace(
    fuzzCase: FuzzCase,
    chain: Chain,
    sfnObservation: Observation,
    mismatches: Mismatch[],
    guardMs: number,
  ): Promise<Mismatch[]> {
    const racy = (mismatch: Mismatch) => /^(error\.|outcome:|events:|output|chain output:)/.test(mismatch.kind);
    const concurrent = allSteps(chain.steps).some(
      (step) => step.type === 'map' || (step.type === 'parallel' && Object.keys(step.branches).length > 1),
    );
    if (!concurrent || !mismatches.some(racy)) return mismatches;
    for (let attempt = 1; attempt <= RACE_ATTEMPTS; attempt++) {
      const jittered = await observeRun(
        () => {
          const services = jitteredServices(fuzzCase, attempt);
          const runtime = createLocalRuntime({ ...services, clock: fastClock, random: () => fuzzCase.random });
          return { runtime, requests: services.models.calls };
        },
        chain,
        fuzzCase.input,
        guardMs,
      );
      if (!compareObservations(chain.steps, jittered, sfnObservation).some(racy)) {
        return [
          ...mismatches.filter((mismatch) => !racy(mismatch)),
          {
            kind: 'race: steps that run at once end in another order, and the runs part ways',
            detail: `runtime-local with other timings (jitter seed ${attempt}) gives what SFN gave: ${mismatches
              .filter(racy)
              .map((mismatch) => mismatch.detail)
              .join('; ')}`,
          },
        ];
      }
    }
    return mismatches;
  }

  function finish(report: CaseReport, fuzzCase: FuzzCase, chain: Chain | undefined): CaseReport {
    for (const mismatch of report.mismatches) {
      const known = chain && isTolerated(mismatch, fuzzCase, chain, differences);
      if (known) report.tolerated.push({ mismatch, difference: known.name });
      else report.untolerated.push(mismatch);
    }
    if (report.untolerated.length > 0) report.status = 'mismatch';
    else if (report.tolerated.length > 0) report.status = 'tolerated';
    return report;
  }
}
