import type { KnowledgeBase, TaskHandler } from '@stepwise/core';
import { type FakeModelProvider, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { type FuzzCase, type HandlerSpec, KNOWLEDGE_BASE_ID } from './fuzz-case';

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
