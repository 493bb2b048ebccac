import { type Condition, isProviderModel, type Step, type StepPolicy, type ValueSpec } from '@stepwise/core';
import type { FuzzCase, HandlerSpec } from './fuzz-case';
import { allSteps } from './step-index';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A JavaScript literal of a JSON-like value: strings as JSON strings (valid TypeScript), keys bare when they can be. */
function literal(value: unknown, indent = ''): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => literal(item, inner));
    const flat = `[${items.join(', ')}]`;
    return flat.length <= 80 && !flat.includes('\n')
      ? flat
      : `[\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const parts = entries.map(([key, v]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${literal(v, inner)}`);
  const flat = `{ ${parts.join(', ')} }`;
  return flat.length <= 80 && !flat.includes('\n')
    ? flat
    : `{\n${parts.map((part) => `${inner}${part},`).join('\n')}\n${indent}}`;
}

function condition(c: Condition): string {
  switch (c.op) {
    case 'and':
    case 'or':
      return `${c.op}(${c.conditions.map(condition).join(', ')})`;
    case 'not':
      return `not(${condition(c.condition)})`;
    case 'isTrue':
    case 'isFalse':
    case 'exists':
      return `${c.op}(${JSON.stringify(c.path)})`;
    case 'matches':
      return `matches(${JSON.stringify(c.path)}, ${JSON.stringify(c.pattern)})`;
    default:
      return `${c.op}(${JSON.stringify(c.path)}, ${literal(c.value)})`;
  }
}

function steps(list: Step[], indent: string): string {
  if (list.length === 0) return '[]';
  const inner = `${indent}  `;
  return `[\n${list.map((step) => `${inner}${stepCall(step, inner)},`).join('\n')}\n${indent}]`;
}

/** The `policy` object, with its fallback steps as builder calls. */
function policy(value: StepPolicy, indent: string): string {
  const inner = `${indent}  `;
  const parts: string[] = [];
  if (value.retry) parts.push(`retry: ${literal(value.retry, inner)}`);
  if (value.catch) {
    parts.push(`catch: { errors: ${literal(value.catch.errors)}, fallback: ${steps(value.catch.fallback, inner)} }`);
  }
  if (value.timeoutSeconds !== undefined) parts.push(`timeoutSeconds: ${value.timeoutSeconds}`);
  return `{ ${parts.join(', ')} }`;
}

/** Options object of a builder: the step's fields but `type`, `id` and those printed apart. */
function options(step: Step, indent: string, skip: string[] = []): string {
  const inner = `${indent}  `;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(step)) {
    if (key === 'type' || key === 'id' || skip.includes(key) || value === undefined) continue;
    if (key === 'policy') parts.push(`policy: ${policy(value as StepPolicy, inner)}`);
    else if (key === 'steps') parts.push(`steps: ${steps(value as Step[], inner)}`);
    else parts.push(`${key}: ${literal(value, inner)}`);
  }
  return `{\n${parts.map((part) => `${inner}${part},`).join('\n')}\n${indent}}`;
}

function policyArgument(step: Step, indent: string): string {
  return 'policy' in step && step.policy ? `, { policy: ${policy(step.policy, indent)} }` : '';
}

function stepCall(step: Step, indent: string): string {
  const id = JSON.stringify(step.id);
  const inner = `${indent}  `;
  switch (step.type) {
    case 'parallel': {
      const branches = Object.entries(step.branches).map(([name, list]) => `${inner}${name}: ${steps(list, inner)},`);
      return `parallel(${id}, {\n${branches.join('\n')}\n${indent}}${policyArgument(step, indent)})`;
    }
    case 'choose': {
      const cases = step.cases.map((entry) => `${inner}when(${condition(entry.when)}, ${steps(entry.steps, inner)}),`);
      const otherwise = step.otherwise ? steps(step.otherwise, indent) : step.policy ? 'undefined' : '';
      return `choose(${id}, [\n${cases.join('\n')}\n${indent}]${otherwise ? `, ${otherwise}` : ''}${policyArgument(step, indent)})`;
    }
    case 'split': {
      const variants = Object.entries(step.variants).map(
        ([name, variant]) => `${inner}${name}: { weight: ${variant.weight}, steps: ${steps(variant.steps, inner)} },`,
      );
      return `split(${id}, {\n${variants.join('\n')}\n${indent}}${policyArgument(step, indent)})`;
    }
    default:
      return `${step.type}(${id}, ${options(step, indent)})`;
  }
}

function handlerSource(spec: HandlerSpec): string {
  const fail = (name: string, message: string) =>
    `Object.assign(new Error(${JSON.stringify(message)}), { name: ${JSON.stringify(name)} })`;
  switch (spec.kind) {
    case 'echo':
      return '(input) => input';
    case 'const':
      return `() => (${literal(spec.value, '  ')})`;
    case 'throw':
      return `() => {\n    throw ${fail(spec.errorName, 'scripted')};\n  }`;
    case 'flaky':
      return `(() => {\n    let calls = 0;\n    return () => {\n      if (++calls <= ${spec.failures}) throw ${fail(spec.errorName, 'scripted')};\n      return ${literal(spec.value, '      ')};\n    };\n  })()`;
    case 'slow':
      return `(_input, { signal }) =>\n    new Promise((resolve) => signal.addEventListener('abort', () => resolve(${literal(spec.value, '    ')})))`;
  }
}

/** Which builders a chain uses, for the import line. */
function buildersOf(list: Step[], out: Set<string>): Set<string> {
  const conditionOps = (c: Condition) => {
    out.add(c.op);
    if (c.op === 'and' || c.op === 'or') c.conditions.forEach(conditionOps);
    if (c.op === 'not') conditionOps(c.condition);
  };
  for (const step of list) {
    out.add(step.type);
    if (step.type !== 'respond' && step.policy?.catch) buildersOf(step.policy.catch.fallback, out);
    if (step.type === 'parallel') for (const branch of Object.values(step.branches)) buildersOf(branch, out);
    if (step.type === 'choose') {
      out.add('when');
      for (const entry of step.cases) {
        conditionOps(entry.when);
        buildersOf(entry.steps, out);
      }
      if (step.otherwise) buildersOf(step.otherwise, out);
    }
    if (step.type === 'map') buildersOf(step.steps, out);
    if (step.type === 'split') for (const variant of Object.values(step.variants)) buildersOf(variant.steps, out);
  }
  return out;
}

/**
 * A case as TypeScript a user can paste into a test: the imports, the chain (builder calls), the input, the fakes
 * and the random source, then both runtimes on one emulator, as `examples/testing/start-both-runtimes.ts` does.
 *
 * @example
 * ```ts
 * console.log(caseToTypeScript(fuzzCase));
 * ```
 */
export function caseToTypeScript(fuzzCase: FuzzCase): string {
  const builders = [...buildersOf(fuzzCase.steps, new Set(['defineChain']))].sort();
  const output = fuzzCase.output
    ? `\n  output: ${literal(fuzzCase.output as { [key: string]: ValueSpec }, '  ')},`
    : '';
  const handlers = Object.entries(fuzzCase.handlers).map(([name, spec]) => `  ${name}: ${handlerSource(spec)},`);
  const providers = allSteps(fuzzCase.steps).some(
    (step) => (step.type === 'invoke' || step.type === 'respond') && isProviderModel(step.model),
  );
  const providerNote = providers
    ? [
        "// This chain calls other providers' models. For the SFN side, serve their APIs on loopback",
        '// (startOpenAiCompatible), route them with startEmulator({ httpEndpoints }), and give createSfnRuntime',
        '// compileOptions.providers and models (aiSdkModels), as test/differential/differential-harness.ts does.',
      ]
    : [];
  return [
    `import { ${builders.join(', ')} } from '@stepwise/core';`,
    `import { createLocalRuntime, fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';`,
    `import { createSfnRuntime } from '@stepwise/runtime-sfn';`,
    `import { startEmulator } from '@stepwise/emulator';`,
    '',
    ...providerNote,
    `const chain = defineChain({\n  name: 'fuzz',\n  steps: ${steps(fuzzCase.steps, '  ')},${output}\n});`,
    `const input = ${literal(fuzzCase.input)};`,
    `// Each runtime needs its own fakes (they count calls): call fakes() once per runtime.`,
    `const fakes = () => ({`,
    `  models: fakeModels(${literal(fuzzCase.models, '  ')}),`,
    `  knowledgeBases: { KBdocs: memoryKnowledgeBase(${literal(fuzzCase.documents, '  ')}) },`,
    `  handlers: {${handlers.length ? `\n${handlers.map((line) => `  ${line}`).join('\n')}\n  ` : ''}},`,
    `});`,
    `const random = () => ${fuzzCase.random};`,
    '',
    `const local = createLocalRuntime({ ...fakes(), random });`,
    `const emulator = await startEmulator({ ...fakes(), retryDelayMs: 0, random });`,
    `const sfn = createSfnRuntime({`,
    `  endpoint: emulator.sfnEndpoint,`,
    `  bedrockEndpoint: emulator.bedrockEndpoint,`,
    `  region: 'us-east-1',`,
    `  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },`,
    `  maxAttempts: 1,`,
    `  roleArn: 'arn:aws:iam::123456789012:role/stepwise-fuzz',`,
    `});`,
    `for (const runtime of [local, sfn]) {`,
    `  for await (const event of runtime.stream(chain, input)) console.log(runtime.name, JSON.stringify(event));`,
    `}`,
    `await emulator.close();`,
  ].join('\n');
}
