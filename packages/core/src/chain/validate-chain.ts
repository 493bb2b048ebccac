import type { Condition } from '../condition/condition';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { TemplateError } from '../errors/template-error';
import { checkModelReference } from '../model/model-reference';
import { stopSequenceLimit } from '../model/stop-sequence-limit';
import { parseTemplate } from '../template/parse-template';
import { type ParsedPath, parsePath } from '../template/path';
import type { Chain } from './chain';
import { checkPaths } from './check-paths';
import { nearestName } from './nearest-name';
import type { Step, StepPolicy } from './step';

const STEP_ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const BRANCH_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const CHAIN_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.]*$/;
const STEP_TYPES = ['invoke', 'retrieve', 'task', 'transform', 'parallel', 'choose', 'map', 'split', 'respond'];
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte']);
const UNARY = new Set(['isTrue', 'isFalse', 'exists']);
/** Step Functions' largest `MaxAttempts`, `IntervalSeconds` and `TimeoutSeconds`. */
const MAX_SECONDS = 99_999_999;
/** Step Functions' largest `MaxDelaySeconds` (a year and a day). */
const MAX_DELAY_SECONDS = 31_622_400;
/** A string that starts like a state path; when it is not a valid one, it is a typo rather than a literal. */
const LOOKS_LIKE_PATH = /^(?:input|steps|item|index)(?:[.[]|$)/;

type Json = Record<string, unknown>;

/** What a step may read: the ids of the steps sure to have run before it, and whether `item`/`index` exist. */
interface Scope {
  steps: ReadonlySet<string>;
  inMap: boolean;
}

/** Where a check happens, for messages: `Step "x"` or `Chain "qa" output`. */
interface Where {
  label: string;
  stepId?: string;
}

/** What the first pass learns: every step id, and the container each nested step lives in. */
interface Catalog {
  ids: Set<string>;
  parentOf: Map<string, string>;
}

/**
 * Checks a chain definition; `defineChain` calls it. Throws `ChainDefinitionError` naming the step and the problem:
 * step ids (syntax, duplicates), step types, `respond` placement, model families, templates, paths in scope
 * (see DESIGN.md "Scope"), conditions, container shapes, and policies (error names, retry numbers, timeouts).
 *
 * @example
 * ```ts
 * validateChain(JSON.parse(storedChainJson)); // throws ChainDefinitionError: Step "answer": path "steps.docs.results" refers to step "docs", ...
 * ```
 */
export function validateChain(chain: Chain): void {
  if (!isObject(chain)) throw new ChainDefinitionError('A chain must be an object made by defineChain.');
  if (typeof chain.name !== 'string' || !CHAIN_NAME.test(chain.name)) {
    throw new ChainDefinitionError(`Chain name "${String(chain.name)}" must be 1-80 characters of [A-Za-z0-9_-].`);
  }
  const label = `Chain "${chain.name}"`;
  if (chain.description !== undefined && typeof chain.description !== 'string') {
    throw new ChainDefinitionError(`${label}: description must be a string.`);
  }
  if (chain.input !== undefined && !isObject((chain.input as unknown as Json)?.['~standard'])) {
    throw new ChainDefinitionError(`${label}: input must be a Standard Schema (zod 4, valibot, arktype, ...).`);
  }
  if (chain.inputJsonSchema !== undefined && !isObject(chain.inputJsonSchema)) {
    throw new ChainDefinitionError(`${label}: inputJsonSchema must be a JSON Schema object.`);
  }
  if (!Array.isArray(chain.steps) || chain.steps.length === 0) {
    throw new ChainDefinitionError(`${label}: steps must be a non-empty array of steps.`);
  }
  const catalog: Catalog = { ids: new Set(), parentOf: new Map() };
  collect(chain.steps, undefined, catalog);
  checkRespondPlacement(chain.steps);
  walk(chain.steps, { steps: new Set(), inMap: false }, catalog);
  if (chain.output !== undefined) {
    const where: Where = { label: `${label} output` };
    if (!isObject(chain.output)) throw definitionError(where, 'must be an object of value specs.');
    const scope: Scope = { steps: new Set(chain.steps.map((step) => step.id)), inMap: false };
    for (const [key, spec] of Object.entries(chain.output)) {
      checkKey(key, `output.${key}`, where);
      checkValueSpec(spec, `output.${key}`, scope, where, catalog);
    }
  }
  checkPaths(chain);
}

/** First pass: step objects, id syntax, unique ids, known types, no nested `respond`; records each step's container. */
function collect(steps: unknown[], parent: string | undefined, catalog: Catalog): void {
  steps.forEach((step, index) => {
    const inside = parent === undefined ? '' : ` inside "${parent}"`;
    if (!isObject(step)) throw new ChainDefinitionError(`Step #${index + 1}${inside} is not a step object.`);
    const id = step.id;
    if (typeof id !== 'string' || !STEP_ID.test(id)) {
      throw new ChainDefinitionError(`Step id "${String(id)}"${inside} must match [A-Za-z][A-Za-z0-9_]*.`, {
        stepId: typeof id === 'string' ? id : undefined,
      });
    }
    if (catalog.ids.has(id)) {
      throw new ChainDefinitionError(`Step id "${id}" is used twice; step ids are unique within a chain.`, {
        stepId: id,
      });
    }
    catalog.ids.add(id);
    if (parent !== undefined) catalog.parentOf.set(id, parent);
    const where: Where = { label: `Step "${id}"`, stepId: id };
    if (typeof step.type !== 'string' || !STEP_TYPES.includes(step.type)) {
      throw definitionError(
        where,
        `unknown step type "${String(step.type)}"; expected one of ${STEP_TYPES.join(', ')}.`,
      );
    }
    if (step.type === 'respond' && parent !== undefined) {
      throw definitionError(where, `respond must be the last top-level step; it cannot be inside "${parent}".`);
    }
    for (const child of childSequences(step as unknown as Step)) collect(child, id, catalog);
  });
}

/** Every nested step list of a step (branches, cases, map steps, variants, catch fallback); shapes are checked later. */
function childSequences(step: Step): unknown[][] {
  const out: unknown[][] = [];
  const add = (value: unknown) => {
    if (Array.isArray(value)) out.push(value);
  };
  switch (step.type) {
    case 'parallel':
      if (isObject(step.branches)) Object.values(step.branches).forEach(add);
      break;
    case 'choose':
      if (Array.isArray(step.cases)) for (const entry of step.cases) if (isObject(entry)) add(entry.steps);
      add(step.otherwise);
      break;
    case 'map':
      add(step.steps);
      break;
    case 'split':
      if (isObject(step.variants))
        for (const variant of Object.values(step.variants)) if (isObject(variant)) add(variant.steps);
      break;
  }
  const policy = (step as { policy?: unknown }).policy;
  if (isObject(policy) && isObject(policy.catch)) add(policy.catch.fallback);
  return out;
}

function checkRespondPlacement(steps: Step[]): void {
  const responds = steps.filter((step) => step.type === 'respond');
  const [first, second] = responds;
  if (first && second) {
    throw definitionError(
      { label: `Step "${second.id}"`, stepId: second.id },
      `a chain has at most one respond step, and "${first.id}" is one already.`,
    );
  }
  const index = first ? steps.indexOf(first) : -1;
  const next = steps[index + 1];
  if (first && next) {
    throw definitionError(
      { label: `Step "${first.id}"`, stepId: first.id },
      `respond must be the last top-level step, but "${next.id}" follows it.`,
    );
  }
}

/** Second pass: each step's fields, with the scope of the steps sure to have run before it. */
function walk(steps: Step[], outer: Scope, catalog: Catalog): void {
  const visible = new Set(outer.steps);
  for (const step of steps) {
    const scope: Scope = { steps: new Set(visible), inMap: outer.inMap };
    const where: Where = { label: `Step "${step.id}"`, stepId: step.id };
    checkStep(step, scope, where, catalog);
    const policy = (step as { policy?: unknown }).policy;
    if (step.type === 'respond') {
      if (policy !== undefined) throw definitionError(where, 'respond takes no policy.');
    } else if (policy !== undefined) {
      checkPolicy(policy, where);
      const fallback = (policy as StepPolicy).catch?.fallback;
      if (fallback) walk(fallback, scope, catalog);
    }
    visible.add(step.id);
  }
}

function checkStep(step: Step, scope: Scope, where: Where, catalog: Catalog): void {
  const check = { scope, where, catalog };
  switch (step.type) {
    case 'invoke':
      checkModel(step.model, where);
      checkTemplate(step.prompt, 'prompt', check, true);
      checkTemplate(step.system, 'system', check, false);
      if (step.prefill !== undefined && typeof step.prefill !== 'string') {
        throw definitionError(where, 'prefill must be a string.');
      }
      if (!['text', 'json', 'boolean'].includes(step.output)) {
        throw definitionError(where, `output "${String(step.output)}" must be "text", "json" or "boolean".`);
      }
      checkSampling(step as unknown as Json, where);
      return;
    case 'retrieve':
      if (typeof step.knowledgeBaseId !== 'string' || step.knowledgeBaseId === '') {
        throw definitionError(where, 'knowledgeBaseId must be a non-empty string.');
      }
      checkTemplate(step.query, 'query', check, true);
      if (step.topK !== undefined && !(Number.isInteger(step.topK) && step.topK >= 1)) {
        throw definitionError(where, `topK ${String(step.topK)} must be an integer of at least 1.`);
      }
      return;
    case 'task':
      if (typeof step.handler !== 'string' || step.handler === '') {
        throw definitionError(where, 'handler must be a non-empty string.');
      }
      if (step.input !== undefined) checkValueSpec(step.input, 'input', scope, where, catalog);
      if (step.output !== undefined && !isObject((step.output as unknown as Json)?.['~standard'])) {
        throw definitionError(where, 'output must be a Standard Schema (zod 4, valibot, arktype, ...).');
      }
      if (step.outputJsonSchema !== undefined && !isObject(step.outputJsonSchema)) {
        throw definitionError(where, 'outputJsonSchema must be a JSON Schema object.');
      }
      return;
    case 'transform':
      if (!isObject(step.set)) throw definitionError(where, 'set must be an object of value specs.');
      for (const [key, spec] of Object.entries(step.set)) {
        checkKey(key, `set.${key}`, where);
        checkValueSpec(spec, `set.${key}`, scope, where, catalog);
      }
      return;
    case 'parallel': {
      if (!isObject(step.branches) || Object.keys(step.branches).length === 0) {
        throw definitionError(where, 'a parallel step needs at least one branch.');
      }
      for (const [name, branch] of Object.entries(step.branches)) {
        if (!BRANCH_NAME.test(name))
          throw definitionError(where, `branch name "${name}" must match [A-Za-z][A-Za-z0-9_]*.`);
        if (!Array.isArray(branch) || branch.length === 0) {
          throw definitionError(where, `branch "${name}" has no steps; a branch needs at least one.`);
        }
        walk(branch, scope, catalog);
      }
      return;
    }
    case 'choose': {
      if (!Array.isArray(step.cases) || step.cases.length === 0) {
        throw definitionError(where, 'a choose step needs at least one case (when(condition, steps)).');
      }
      step.cases.forEach((entry, index) => {
        if (!isObject(entry) || !Array.isArray(entry.steps)) {
          throw definitionError(where, `case #${index + 1} must be made by when(condition, steps).`);
        }
        checkCondition(entry.when, `case #${index + 1}`, check);
        walk(entry.steps, scope, catalog);
      });
      if (step.otherwise !== undefined) {
        if (!Array.isArray(step.otherwise)) throw definitionError(where, 'otherwise must be an array of steps.');
        walk(step.otherwise, scope, catalog);
      }
      return;
    }
    case 'map': {
      const items = typeof step.items === 'string' ? parsePath(step.items) : undefined;
      if (!items) {
        throw definitionError(
          where,
          `items "${String(step.items)}" must be a path to an array (input.x, steps.<id>.x, item.x), not a template.`,
        );
      }
      checkPath(items, check);
      if (step.maxConcurrency !== undefined && !(Number.isInteger(step.maxConcurrency) && step.maxConcurrency >= 0)) {
        throw definitionError(where, `maxConcurrency ${String(step.maxConcurrency)} must be an integer of at least 0.`);
      }
      if (!Array.isArray(step.steps) || step.steps.length === 0) {
        throw definitionError(where, 'a map step needs at least one step to run for each item.');
      }
      walk(step.steps, { steps: scope.steps, inMap: true }, catalog);
      return;
    }
    case 'split': {
      if (!isObject(step.variants) || Object.keys(step.variants).length === 0) {
        throw definitionError(where, 'a split step needs at least one variant.');
      }
      for (const [name, variant] of Object.entries(step.variants)) {
        if (!BRANCH_NAME.test(name))
          throw definitionError(where, `variant name "${name}" must match [A-Za-z][A-Za-z0-9_]*.`);
        if (!isObject(variant) || !Array.isArray(variant.steps)) {
          throw definitionError(where, `variant "${name}" must be { weight, steps }.`);
        }
        if (typeof variant.weight !== 'number' || !Number.isFinite(variant.weight) || variant.weight <= 0) {
          throw definitionError(
            where,
            `variant "${name}" has weight ${String(variant.weight)}; a weight is a positive number.`,
          );
        }
        walk(variant.steps, scope, catalog);
      }
      return;
    }
    case 'respond': {
      checkModel(step.model, where);
      if (step.prompt === undefined && step.messages === undefined) {
        throw definitionError(where, 'respond needs a prompt, messages, or both.');
      }
      checkTemplate(step.system, 'system', check, false);
      checkTemplate(step.prompt, 'prompt', check, false);
      if (step.messages !== undefined) {
        const messages = step.messages as unknown;
        if (!isObject(messages)) throw definitionError(where, 'messages must be { from: path, last? }.');
        const from = typeof messages.from === 'string' ? parsePath(messages.from) : undefined;
        if (!from) {
          throw definitionError(
            where,
            `messages.from "${String(messages.from)}" must be a path to an array of messages.`,
          );
        }
        checkPath(from, check);
        const last = messages.last;
        if (last !== undefined && !(typeof last === 'number' && Number.isInteger(last) && last >= 1)) {
          throw definitionError(where, `messages.last ${String(last)} must be an integer of at least 1.`);
        }
      }
      checkSampling(step as unknown as Json, where);
      return;
    }
  }
}

interface Check {
  scope: Scope;
  where: Where;
  catalog: Catalog;
}

function checkModel(model: unknown, where: Where): void {
  if (typeof model !== 'string' || model === '') throw definitionError(where, 'model must be a Bedrock model id.');
  try {
    checkModelReference(model);
  } catch (error) {
    throw definitionError(where, (error as Error).message, error);
  }
}

function checkSampling(step: Json, where: Where): void {
  const { maxTokens, temperature, topP, stopSequences } = step;
  if (maxTokens !== undefined && !(typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens >= 1)) {
    throw definitionError(where, `maxTokens ${String(maxTokens)} must be an integer of at least 1.`);
  }
  for (const [key, value] of [
    ['temperature', temperature],
    ['topP', topP],
  ] as const) {
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
      throw definitionError(where, `${key} ${String(value)} must be a number from 0 to 1.`);
    }
  }
  if (
    stopSequences !== undefined &&
    !(Array.isArray(stopSequences) && stopSequences.every((entry) => typeof entry === 'string' && entry !== ''))
  ) {
    throw definitionError(where, 'stopSequences must be an array of non-empty strings.');
  }
  // `invoke` calls InvokeModel with the family's body, `respond` ConverseStream: Bedrock limits the count on each.
  const api = step.type === 'respond' ? 'converse' : 'invoke-model';
  const limit = stopSequences === undefined ? undefined : stopSequenceLimit(String(step.model), api);
  if (limit !== undefined && (stopSequences as unknown[]).length > limit.max) {
    const call = api === 'converse' ? 'ConverseStream (what respond calls)' : "InvokeModel's body for this model";
    throw definitionError(
      where,
      `stopSequences has ${(stopSequences as unknown[]).length} entries; Bedrock's ${call} takes at most ${limit.max} (${limit.field}).`,
    );
  }
}

function checkTemplate(template: unknown, field: string, check: Check, required: boolean): void {
  if (template === undefined && !required) return;
  if (typeof template !== 'string') throw definitionError(check.where, `${field} must be a template string.`);
  let parts: ReturnType<typeof parseTemplate>;
  try {
    parts = parseTemplate(template);
  } catch (error) {
    if (!TemplateError.isInstance(error)) throw error;
    throw definitionError(check.where, `invalid ${field} template: ${error.message}`, error);
  }
  for (const part of parts) if (part.type === 'path') checkPath(part.path, check);
}

function checkValueSpec(spec: unknown, field: string, scope: Scope, where: Where, catalog: Catalog): void {
  const check = { scope, where, catalog };
  if (typeof spec === 'string') {
    if (spec.includes('{{')) {
      checkTemplate(spec, field, check, true);
      return;
    }
    const path = parsePath(spec);
    if (!path) {
      if (LOOKS_LIKE_PATH.test(spec)) {
        throw definitionError(
          where,
          `${field} "${spec}" looks like a path but is not a valid one (keys are [A-Za-z_][A-Za-z0-9_]*, indices [n]).`,
        );
      }
      return;
    }
    checkPath(path, check);
    return;
  }
  if (spec === null || typeof spec === 'boolean') return;
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw definitionError(where, `${field} must be a finite number.`);
    return;
  }
  if (isObject(spec)) {
    for (const [key, inner] of Object.entries(spec)) {
      checkKey(key, `${field}.${key}`, where);
      checkValueSpec(inner, `${field}.${key}`, scope, where, catalog);
    }
    return;
  }
  throw definitionError(where, `${field} must be a path, a template, a literal (number, boolean, null) or an object.`);
}

/**
 * A key of a value-spec object becomes a key of an ASL payload template, where a key ending in `.$` means "the value
 * is a path or an intrinsic function": such a key cannot hold a value of the chain's own.
 */
function checkKey(key: string, field: string, where: Where): void {
  if (key.endsWith('.$')) {
    throw definitionError(
      where,
      `${field}: the key "${key}" ends with ".$", which Step Functions reserves for paths and intrinsic functions; rename the key.`,
    );
  }
}

function checkCondition(condition: unknown, field: string, check: Check): void {
  const { where } = check;
  if (!isObject(condition) || typeof condition.op !== 'string') {
    throw definitionError(where, `${field}: the condition must be made by eq, gt, isTrue, matches, and, or, not, ...`);
  }
  const c = condition as unknown as Condition;
  switch (c.op) {
    case 'and':
    case 'or':
      if (!Array.isArray(c.conditions) || c.conditions.length === 0) {
        throw definitionError(where, `${field}: ${c.op}() needs at least one condition.`);
      }
      for (const inner of c.conditions) checkCondition(inner, field, check);
      return;
    case 'not':
      checkCondition(c.condition, field, check);
      return;
  }
  const op: string = c.op;
  if (!COMPARISONS.has(op) && !UNARY.has(op) && op !== 'matches') {
    throw definitionError(where, `${field}: unknown condition "${op}".`);
  }
  const path = typeof c.path === 'string' ? parsePath(c.path) : undefined;
  if (!path) throw definitionError(where, `${field}: condition path "${String(c.path)}" is not a valid path.`);
  checkPath(path, check);
  if (c.op === 'matches' && typeof c.pattern !== 'string') {
    throw definitionError(where, `${field}: matches("${c.path}") needs a string pattern.`);
  }
  if (COMPARISONS.has(op)) {
    const value = (c as { value?: unknown }).value;
    const ordered = op !== 'eq' && op !== 'ne';
    const ok = ordered
      ? (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string'
      : value === null ||
        ['string', 'boolean'].includes(typeof value) ||
        (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      throw definitionError(
        where,
        `${field}: ${op}("${c.path}") compares with ${ordered ? 'a number or a string' : 'a string, number, boolean or null'}.`,
      );
    }
  }
}

/** A path is in scope: `input` always, `item`/`index` inside a map, `steps.<id>` for a step sure to have run. */
function checkPath(path: ParsedPath, { scope, where, catalog }: Check): void {
  const prefix = `path "${path.source}"`;
  if (path.root === 'item' || path.root === 'index') {
    if (!scope.inMap)
      throw definitionError(where, `${prefix} uses "${path.root}", which is only in scope inside a map.`);
    return;
  }
  if (path.root !== 'steps') return;
  const id = path.segments[0];
  if (typeof id !== 'string') throw definitionError(where, `${prefix} must name a step: steps.<id>...`);
  if (scope.steps.has(id)) return;
  if (id === where.stepId) throw definitionError(where, `${prefix} refers to the step itself.`);
  if (!catalog.ids.has(id)) {
    const others = [...(scope.steps.size > 0 ? scope.steps : catalog.ids)].filter((other) => other !== where.stepId);
    const nearest = nearestName(id, others);
    const hint =
      nearest === undefined ? '' : ` Did you mean "${path.source.replace(`steps.${id}`, `steps.${nearest}`)}"?`;
    throw definitionError(where, `${prefix} refers to step "${id}", which does not exist.${hint}`);
  }
  let container = catalog.parentOf.get(id);
  while (container !== undefined && !scope.steps.has(container)) container = catalog.parentOf.get(container);
  const hint = container === undefined ? '' : ` It runs inside "${container}": read "steps.${container}" instead.`;
  throw definitionError(where, `${prefix} refers to step "${id}", which is not sure to have run before it.${hint}`);
}

function checkPolicy(policy: unknown, where: Where): void {
  if (!isObject(policy)) throw definitionError(where, 'policy must be an object { retry?, catch?, timeoutSeconds? }.');
  const { retry, timeoutSeconds } = policy;
  if (retry !== undefined) {
    if (!isObject(retry)) throw definitionError(where, 'policy.retry must be an object.');
    checkErrorNames(retry.errors, 'policy.retry.errors', where);
    const integer = (key: string, min: number, max: number) => {
      const value = retry[key];
      if (
        value !== undefined &&
        !(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
      ) {
        throw definitionError(where, `policy.retry.${key} ${String(value)} must be an integer from ${min} to ${max}.`);
      }
    };
    // Step Functions' bounds for a retrier.
    integer('maxAttempts', 0, MAX_SECONDS);
    integer('intervalSeconds', 1, MAX_SECONDS);
    integer('maxDelaySeconds', 1, MAX_DELAY_SECONDS);
    const { backoffRate, jitter } = retry;
    if (
      backoffRate !== undefined &&
      !(typeof backoffRate === 'number' && Number.isFinite(backoffRate) && backoffRate >= 1)
    ) {
      throw definitionError(where, `policy.retry.backoffRate ${String(backoffRate)} must be a number of at least 1.`);
    }
    if (jitter !== undefined && jitter !== 'FULL' && jitter !== 'NONE') {
      throw definitionError(where, `policy.retry.jitter "${String(jitter)}" must be "FULL" or "NONE".`);
    }
  }
  if (policy.catch !== undefined) {
    if (!isObject(policy.catch) || !Array.isArray(policy.catch.fallback)) {
      throw definitionError(where, 'policy.catch must be { errors, fallback: Step[] }.');
    }
    checkErrorNames(policy.catch.errors, 'policy.catch.errors', where);
  }
  if (
    timeoutSeconds !== undefined &&
    !(
      typeof timeoutSeconds === 'number' &&
      Number.isInteger(timeoutSeconds) &&
      timeoutSeconds >= 1 &&
      timeoutSeconds <= MAX_SECONDS
    )
  ) {
    throw definitionError(
      where,
      `policy.timeoutSeconds ${String(timeoutSeconds)} must be an integer from 1 to ${MAX_SECONDS}.`,
    );
  }
}

function checkErrorNames(errors: unknown, field: string, where: Where): void {
  if (!Array.isArray(errors) || errors.length === 0) {
    throw definitionError(where, `${field} must be a non-empty array of error names.`);
  }
  for (const name of errors) {
    if (typeof name !== 'string' || !ERROR_NAME.test(name) || name.endsWith('.')) {
      throw definitionError(
        where,
        `${field} has "${String(name)}", which is not an error name (States.X, Bedrock.<Exception>, or a handler error name [A-Za-z][A-Za-z0-9_.]*).`,
      );
    }
    if (name === 'States.ALL' && errors.length > 1) {
      throw definitionError(where, `${field}: States.ALL must stand alone.`);
    }
  }
}

function definitionError(where: Where, problem: string, cause?: unknown): ChainDefinitionError {
  return new ChainDefinitionError(`${where.label}: ${problem}`, { stepId: where.stepId, cause });
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
