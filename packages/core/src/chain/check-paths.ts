import type { Condition } from '../condition/condition';
import { ChainDefinitionError } from '../errors/chain-definition-error';
import { parseTemplate } from '../template/parse-template';
import { type ParsedPath, type PathSegment, parsePath } from '../template/path';
import type { Chain } from './chain';
import { declaredJsonSchema } from './declared-json-schema';
import { formatShape } from './format-shape';
import { inputJsonSchemaOf } from './input-json-schema-of';
import { nearestName } from './nearest-name';
import { type OutputShapeContext, outputShapeOf } from './output-shape';
import { resolveShapePath } from './resolve-shape-path';
import {
  alternativesOf,
  closedObject,
  NULL_SHAPE,
  type Shape,
  type ShapeAlternative,
  type ShapeKind,
  UNKNOWN,
  unionOf,
} from './shape';
import { shapeOfJsonSchema } from './shape-of-json-schema';
import type { Step, StepType, ValueSpec } from './step';

/**
 * One step of a chain with the shape of its output, in the order the chain runs them (a container before the
 * steps it holds).
 *
 * @example
 * ```ts
 * const entry: StepShape = { id: 'classify', type: 'invoke', depth: 0, output: shape };
 * ```
 */
export interface StepShape {
  id: string;
  type: StepType;
  /** 0 for a top-level step, 1 inside a container, ... */
  depth: number;
  /** Where a nested step runs: `analyze: branch "keywords"`, `route: case #1`, `searchDocs: fallback`. */
  within?: string;
  /** What `steps.<id>` holds once the step has run. */
  output: Shape;
}

/**
 * The state a chain builds, as `defineChain` checks it: the shape of the input, of each step's output, and of the
 * chain's output.
 *
 * @example
 * ```ts
 * const { input, steps, output }: ChainShapes = checkPaths(chain);
 * ```
 */
export interface ChainShapes {
  /** What `input` holds: from the input schema's JSON Schema, `unknown` without one. */
  input: Shape;
  steps: StepShape[];
  /** The chain's output: `chain.output` built from the final state, or the last non-`respond` step's output, or `null`. */
  output: Shape;
}

/** What a step may read: the outputs of the steps sure to have run before it, and `item` inside a map. */
interface Scope {
  steps: ReadonlyMap<string, Shape>;
  item: Shape | undefined;
}

/** Where a check happens, for messages: `Step "x"` or `Chain "qa" output`. */
interface Where {
  label: string;
  stepId?: string;
}

const INDEX: Shape = { kind: 'number', integer: true };
const SCALARS: ShapeKind[] = ['string', 'number', 'boolean'];

/**
 * Checks every path a chain reads against the shapes of the state (decision 0001's step outputs, and the input's
 * JSON Schema when the chain has one) and returns those shapes. `validateChain` calls it once the chain's
 * structure and scopes are valid. A path that cannot exist, or whose value can never fit its use, is a
 * `ChainDefinitionError` naming the step, the path and the nearest valid path:
 * - template placeholders (`{{input.question}}`); a bare placeholder must be able to hold a string, number or
 *   boolean (an object or array needs `| json`);
 * - condition paths; `isTrue`/`isFalse` need a boolean there, `gt`/`gte`/`lt`/`lte` a number or string like the
 *   value compared with, `matches` a string, `eq`/`ne` a value of the compared value's type (and one of the
 *   field's values, when they are all known);
 * - `map.items` and `respond`'s `messages.from`, which must be able to hold an array;
 * - value paths (`transform.set`, `task.input`) and the chain's `output`.
 * Below `unknown` (a task without an output schema, an input without a JSON Schema, `additionalProperties`),
 * every path is allowed.
 *
 * @example
 * ```ts
 * checkPaths(defineChainLike({ steps: [invoke('check', { model, prompt: '{{input.q}}', output: 'boolean' }), ...] }));
 * // throws ChainDefinitionError: Step "route": case #1 reads "steps.check.valeu", which cannot exist: ... Did you mean "steps.check.value"?
 * ```
 */
export function checkPaths(chain: Chain<any, any, any>): ChainShapes {
  const schema = declaredJsonSchema(chain.input, inputJsonSchemaOf(chain));
  const walk = new ShapeWalk(schema === undefined ? UNKNOWN : shapeOfJsonSchema(schema));
  const top = walk.sequence(chain.steps, { steps: new Map(), item: undefined }, 0, undefined);
  let output: Shape;
  if (chain.output !== undefined) {
    const where: Where = { label: `Chain "${chain.name}" output` };
    const scope: Scope = { steps: top.visible, item: undefined };
    const properties: { [key: string]: Shape } = {};
    for (const [key, spec] of Object.entries(chain.output)) {
      properties[key] = walk.value(spec, `output.${key}`, scope, where);
    }
    output = closedObject(properties);
  } else {
    const last = chain.steps.filter((step) => step.type !== 'respond').at(-1);
    output = last === undefined ? NULL_SHAPE : top.visible.get(last.id)!;
  }
  return { input: walk.input, steps: walk.entries, output };
}

class ShapeWalk {
  readonly entries: StepShape[] = [];

  constructor(readonly input: Shape) {}

  /** Walks a step list in a scope: checks each step, records its output; returns what the list made visible. */
  sequence(
    steps: Step[],
    scope: Scope,
    depth: number,
    within: string | undefined,
  ): { last: Shape; visible: Map<string, Shape> } {
    const visible = new Map(scope.steps);
    let last: Shape = NULL_SHAPE;
    for (const step of steps) {
      const local: Scope = { steps: visible, item: scope.item };
      const where: Where = { label: `Step "${step.id}"`, stepId: step.id };
      const entry: StepShape = { id: step.id, type: step.type, depth, output: UNKNOWN };
      if (within !== undefined) entry.within = within;
      this.entries.push(entry);
      this.checkStep(step, local, where);
      entry.output = outputShapeOf(step, this.context(step, local, where, depth));
      visible.set(step.id, entry.output);
      last = entry.output;
    }
    return { last, visible };
  }

  private context(step: Step, scope: Scope, where: Where, depth: number): OutputShapeContext {
    return {
      sequence: (steps, owner, item) =>
        this.sequence(
          steps,
          { steps: new Map(scope.steps), item: item ?? scope.item },
          depth + 1,
          `${step.id}: ${owner}`,
        ).last,
      value: (spec, field) => this.value(spec, field, scope, where),
      itemOf: (map) => {
        const items = this.read(parsePath(map.items)!, 'items', scope, where);
        this.expectKinds(items, ['array'], `items "${map.items}"`, 'a map needs an array', where);
        const elements: Shape[] = [];
        for (const alternative of alternativesOf(items)) {
          if (alternative.kind === 'unknown') elements.push(UNKNOWN);
          else if (alternative.kind === 'array') elements.push(alternative.items, ...(alternative.prefix ?? []));
        }
        return unionOf(elements);
      },
    };
  }

  /** The paths of a step that are not part of its output: templates, conditions, task input, `messages.from`. */
  private checkStep(step: Step, scope: Scope, where: Where): void {
    switch (step.type) {
      case 'invoke':
        this.template(step.system, 'system', scope, where);
        this.template(step.prompt, 'prompt', scope, where);
        return;
      case 'retrieve':
        this.template(step.query, 'query', scope, where);
        return;
      case 'task':
        if (step.input !== undefined) this.value(step.input, 'input', scope, where);
        return;
      case 'choose':
        step.cases.forEach((entry, index) => {
          this.condition(entry.when, `case #${index + 1}`, scope, where);
        });
        return;
      case 'respond': {
        this.template(step.system, 'system', scope, where);
        this.template(step.prompt, 'prompt', scope, where);
        const from = step.messages?.from;
        if (from !== undefined) {
          const shape = this.read(parsePath(from)!, 'messages.from', scope, where);
          this.expectKinds(shape, ['array'], `messages.from "${from}"`, 'the history must be an array', where);
        }
        return;
      }
      default:
        return;
    }
  }

  /** The shape a value spec builds; its paths and templates are checked on the way. */
  value(spec: ValueSpec, field: string, scope: Scope, where: Where): Shape {
    if (typeof spec === 'string') {
      if (spec.includes('{{')) {
        this.template(spec, field, scope, where);
        return { kind: 'string' };
      }
      const path = parsePath(spec);
      return path ? this.read(path, field, scope, where) : { kind: 'string', values: [spec] };
    }
    if (spec === null) return NULL_SHAPE;
    if (typeof spec === 'number') return Number.isInteger(spec) ? INDEX : { kind: 'number' };
    if (typeof spec === 'boolean') return { kind: 'boolean', values: [spec] };
    const properties: { [key: string]: Shape } = {};
    for (const [key, inner] of Object.entries(spec))
      properties[key] = this.value(inner, `${field}.${key}`, scope, where);
    return closedObject(properties);
  }

  private template(template: string | undefined, field: string, scope: Scope, where: Where): void {
    if (template === undefined) return;
    for (const part of parseTemplate(template)) {
      if (part.type !== 'path') continue;
      const shape = this.read(part.path, field, scope, where);
      if (part.filter === 'json') continue;
      const kinds = kindsOf(shape);
      if (kinds.has('unknown') || SCALARS.some((kind) => kinds.has(kind))) continue;
      throw definitionError(
        where,
        `${field}: {{${part.path.source}}} is always ${describeKinds(shape)} (${formatShape(shape)}), but a bare ` +
          `placeholder renders only a string, number or boolean. Did you mean "{{${part.path.source} | json}}"?`,
      );
    }
  }

  private condition(condition: Condition, field: string, scope: Scope, where: Where): void {
    switch (condition.op) {
      case 'and':
      case 'or':
        for (const inner of condition.conditions) this.condition(inner, field, scope, where);
        return;
      case 'not':
        this.condition(condition.condition, field, scope, where);
        return;
    }
    const shape = this.read(parsePath(condition.path)!, field, scope, where);
    const test = `${field}: ${condition.op}("${condition.path}"`;
    switch (condition.op) {
      case 'exists':
        return;
      case 'isTrue':
      case 'isFalse':
        this.expectKinds(shape, ['boolean'], `${test})`, 'it tests for a boolean', where);
        return;
      case 'matches':
        this.expectKinds(shape, ['string'], `${test}, ...)`, 'it matches a string', where);
        return;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte': {
        const kind = typeof condition.value === 'number' ? 'number' : 'string';
        const shown = `${test}, ${JSON.stringify(condition.value)})`;
        this.expectKinds(shape, [kind], shown, `it compares with a ${kind}`, where);
        return;
      }
      case 'eq':
      case 'ne': {
        const value = condition.value;
        const kind: ShapeKind = value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
        const shown = `${test}, ${JSON.stringify(value)})`;
        this.expectKinds(shape, [kind], shown, `it compares with ${value === null ? 'null' : `a ${kind}`}`, where);
        if (typeof value === 'string') expectKnownValue(shape, value, shown, where);
        return;
      }
    }
  }

  /** The shape at a path in the scope; throws when the path cannot exist there. */
  read(path: ParsedPath, field: string, scope: Scope, where: Where): Shape {
    let root: Shape;
    let segments: readonly PathSegment[] = path.segments;
    let base: string = path.root;
    switch (path.root) {
      case 'input':
        root = this.input;
        break;
      case 'item':
        root = scope.item ?? UNKNOWN;
        break;
      case 'index':
        return INDEX;
      case 'steps': {
        // validateChain has checked that the step exists and is in scope.
        const id = segments[0] as string;
        root = scope.steps.get(id) ?? UNKNOWN;
        segments = segments.slice(1);
        base = `steps.${id}`;
        break;
      }
    }
    const resolution = resolveShapePath(root, segments);
    if (resolution.found) return resolution.shape;
    const prefix = base + render(segments.slice(0, resolution.at));
    const segment = segments[resolution.at]!;
    const reached = unionShape(resolution.reached);
    const opening = `${field} reads "${path.source}", which cannot exist:`;
    if (typeof segment === 'string' && resolution.keys.length > 0) {
      const nearest = `${prefix}.${nearestName(segment, resolution.keys)}`;
      throw definitionError(
        where,
        `${opening} "${prefix}" has no key "${segment}" (it is ${formatShape(reached)}). Did you mean "${nearest}"?`,
      );
    }
    let nearest = prefix;
    if (typeof segment === 'string' && resolution.reached.some((alternative) => alternative.kind === 'array')) {
      const first = resolveShapePath(reached, [0, segment]);
      nearest = first.found ? `${prefix}[0].${segment}` : `${prefix}[0]`;
    }
    throw definitionError(
      where,
      `${opening} "${prefix}" is always ${describeKinds(reached)} (${formatShape(reached)}), which has no ` +
        `${typeof segment === 'number' ? `index [${segment}]` : `key "${segment}"`}. Did you mean "${nearest}"?`,
    );
  }

  private expectKinds(shape: Shape, kinds: ShapeKind[], what: string, need: string, where: Where): void {
    const present = kindsOf(shape);
    if (present.has('unknown') || kinds.some((kind) => present.has(kind))) return;
    throw definitionError(
      where,
      `${what} can never fit: ${need}, but the value there is always ${describeKinds(shape)} (${formatShape(shape)}).`,
    );
  }
}

/** `eq`/`ne` with a string the field never holds, when every string it can hold is known (an enum, a variant name). */
function expectKnownValue(shape: Shape, value: string, shown: string, where: Where): void {
  const known: string[] = [];
  for (const alternative of alternativesOf(shape)) {
    if (alternative.kind === 'unknown') return;
    if (alternative.kind !== 'string') continue;
    if (alternative.values === undefined) return;
    known.push(...alternative.values);
  }
  if (known.length === 0 || known.includes(value)) return;
  throw definitionError(
    where,
    `${shown} can never hold: the value there is one of ${known.map((one) => JSON.stringify(one)).join(', ')}. ` +
      `Did you mean ${JSON.stringify(nearestName(value, known))}?`,
  );
}

function kindsOf(shape: Shape): Set<ShapeKind> {
  return new Set(alternativesOf(shape).map((alternative) => alternative.kind));
}

const KIND_NAMES: Record<ShapeKind, string> = {
  unknown: 'anything',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  object: 'an object',
  array: 'an array',
};

function describeKinds(shape: Shape): string {
  const kinds = [...kindsOf(shape)];
  if (kinds.length === 0) return 'nothing';
  const names = kinds.map((kind) => KIND_NAMES[kind]);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function unionShape(alternatives: ShapeAlternative[]): Shape {
  return alternatives.length === 1 ? alternatives[0]! : { kind: 'union', of: alternatives };
}

function render(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return out;
}

function definitionError(where: Where, problem: string): ChainDefinitionError {
  return new ChainDefinitionError(`${where.label}: ${problem}`, { stepId: where.stepId });
}
