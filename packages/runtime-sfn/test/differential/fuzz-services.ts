import type { KnowledgeBase, TaskHandler } from '@stepwise/core';
import { type FakeModelProvider, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import {
  type FuzzCase,
  type HandlerSpec,
  KNOWLEDGE_BASE_ID,
  MISSING_HANDLER,
  MISSING_KNOWLEDGE_BASE_ID,
} from './fuzz-case';

/**
 * The fakes of one execution of a case: models, the knowledge base and the handlers. Every execution gets fresh
 * ones, since fakes count their calls (scripted throttles, flaky handlers).
 *
 * @example
 * ```ts
 * const services: FuzzServices = fuzzServices(fuzzCase);
 * const runtime = createLocalRuntime({ ...services, random: () => fuzzCase.random });
 * ```
 */
export interface FuzzServices {
  models: FakeModelProvider;
  knowledgeBases: { [knowledgeBaseId: string]: KnowledgeBase };
  handlers: { [name: string]: TaskHandler };
}

/** How long a slow handler waits for its step's timeout at most, in real milliseconds. */
const SLOW_CAP_MS = 5_000;

function scriptedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function handlerOf(spec: HandlerSpec): TaskHandler {
  switch (spec.kind) {
    case 'echo':
      return (input) => input;
    case 'const':
      return () => structuredClone(spec.value);
    case 'throw':
      return () => {
        throw scriptedError(spec.errorName, `The handler threw ${spec.errorName}, as scripted.`);
      };
    case 'flaky': {
      let calls = 0;
      return () => {
        calls += 1;
        if (calls <= spec.failures) {
          throw scriptedError(spec.errorName, `Failure ${calls} of ${spec.failures}, as scripted.`);
        }
        return structuredClone(spec.value);
      };
    }
    case 'slow':
      return (_input, context) =>
        new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            context.signal.removeEventListener('abort', done);
            resolve(structuredClone(spec.value));
          };
          const timer = setTimeout(done, SLOW_CAP_MS);
          context.signal.addEventListener('abort', done, { once: true });
          if (context.signal.aborted) done();
        });
  }
}

/**
 * Fresh fakes for one execution of a case: `fakeModels` with the case's script, a memory knowledge base of its
 * documents under `KBdocs`, and its handlers.
 *
 * @example
 * ```ts
 * const local = createLocalRuntime({ ...fuzzServices(fuzzCase), random: () => fuzzCase.random });
 * ```
 */
export function fuzzServices(fuzzCase: FuzzCase): FuzzServices {
  const handlers: { [name: string]: TaskHandler } = {};
  for (const [name, spec] of Object.entries(fuzzCase.handlers)) handlers[name] = handlerOf(spec);
  return {
    models: fakeModels(structuredClone(fuzzCase.models)),
    knowledgeBases: { [KNOWLEDGE_BASE_ID]: memoryKnowledgeBase(structuredClone(fuzzCase.documents)) },
    handlers,
  };
}

/** A random source in [0, 1) from a seed (mulberry32), so jittered runs repeat. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Fresh fakes like {@link fuzzServices}, each call delayed by a few random milliseconds (from `seed`), so steps that
 * run at once finish in another order: how the fuzzer tells a race from a real difference.
 *
 * The handler and knowledge base nobody serves (`hNone`, `KBnone`) answer too, late, with the error runtime-local
 * raises for them: on Step Functions (and the emulator) a missing Lambda function or knowledge base is the error
 * answer of a call, a round trip after the state started; runtime-local answers it after the turn of the event loop,
 * and these re-runs after a few milliseconds more, the timing those services have.
 *
 * @example
 * ```ts
 * const services = jitteredServices(fuzzCase, 3);
 * await createLocalRuntime({ ...services }).run(chain, input);
 * ```
 */
export function jitteredServices(fuzzCase: FuzzCase, seed: number, maxMs = 4): FuzzServices {
  const plain = fuzzServices(fuzzCase);
  const random = seededRandom(seed);
  const delay = () => pause(Math.floor(random() * (maxMs + 1)));
  const models = plain.models;
  const handlers: { [name: string]: TaskHandler } = {};
  for (const [name, handler] of Object.entries(plain.handlers)) {
    handlers[name] = async (input, context) => {
      await delay();
      return handler(input, context);
    };
  }
  // Errors named as runtime-local names them when it finds the handler or knowledge base missing (local-run.ts).
  handlers[MISSING_HANDLER] = async () => {
    await delay();
    throw scriptedError(
      'Lambda.ResourceNotFoundException',
      `Task handler "${MISSING_HANDLER}" is not configured in this runtime.`,
    );
  };
  const knowledgeBases: { [id: string]: KnowledgeBase } = {
    [MISSING_KNOWLEDGE_BASE_ID]: {
      specificationVersion: 'v1',
      retrieve: async () => {
        await delay();
        throw scriptedError(
          'BedrockAgentRuntime.ResourceNotFoundException',
          `Knowledge base "${MISSING_KNOWLEDGE_BASE_ID}" is not configured in this runtime.`,
        );
      },
    },
  };
  for (const [id, knowledgeBase] of Object.entries(plain.knowledgeBases)) {
    knowledgeBases[id] = {
      specificationVersion: 'v1',
      retrieve: async (request, options) => {
        await delay();
        return knowledgeBase.retrieve(request, options);
      },
    };
  }
  return {
    models: Object.assign(Object.create(models) as FakeModelProvider, {
      doInvoke: async (...args: Parameters<FakeModelProvider['doInvoke']>) => {
        await delay();
        return models.doInvoke(...args);
      },
      doStream: (...args: Parameters<FakeModelProvider['doStream']>) => {
        const wait = delay();
        return {
          async *[Symbol.asyncIterator]() {
            await wait;
            yield* models.doStream(...args);
          },
        };
      },
    }),
    knowledgeBases,
    handlers,
  };
}
