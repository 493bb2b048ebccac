import { declaredJsonSchema } from './declared-json-schema';
import { closedObject, NULL_SHAPE, type Shape, UNKNOWN, unionOf } from './shape';
import { shapeOfJsonSchema } from './shape-of-json-schema';
import type { Step, ValueSpec } from './step';

const TOKENS: Shape = { kind: 'number', integer: true };
const STRING: Shape = { kind: 'string' };

/**
 * The `usage` of a model step: `{ inputTokens, outputTokens }`.
 *
 * @example
 * ```ts
 * formatShape(MODEL_USAGE_SHAPE); // '{ inputTokens: number; outputTokens: number }'
 * ```
 */
export const MODEL_USAGE_SHAPE: Shape = closedObject({ inputTokens: TOKENS, outputTokens: TOKENS });

/**
 * What {@link outputShapeOf} needs from the walk of the chain: the shapes it built for nested step lists and value
 * specs (their paths are checked there, in the scope of each).
 *
 * @example
 * ```ts
 * const context: OutputShapeContext = { sequence: (steps) => lastOutputOf(steps), value: (spec) => shapeOfValue(spec) };
 * ```
 */
export interface OutputShapeContext {
  /**
   * The output of a nested step list's last step, `null` for an empty list. `owner` is the list's name for
   * messages (`branch "keywords"`, `case #1`, `fallback`); inside a map, `item` is the shape of one item.
   */
  sequence(steps: Step[], owner: string, item?: Shape): Shape;
  /** The shape a value spec builds (`transform.set`); `field` names it for messages (`set.title`). */
  value(spec: ValueSpec, field: string): Shape;
  /** The shape of one element of the array at a map's `items` path. */
  itemOf(step: Step & { type: 'map' }): Shape;
}

/**
 * The shape of a step's output, as decision 0001 defines it:
 * - `invoke`: `{ text, usage }`, plus `value` for `output: 'json'` (any JSON) or `'boolean'`;
 * - `retrieve`: `{ results: [{ text, score, source? }] }`;
 * - `task`: its declared output schema's shape (`output`, `outputJsonSchema`), else `unknown`;
 * - `transform`: the object `set` builds;
 * - `parallel`: `{ <branch>: <output of the branch's last step> }`;
 * - `choose`: any case's last output, or `null` (no case ran, an empty case, no `otherwise`);
 * - `map`: an array of the item steps' last output;
 * - `split`: `{ variant, output }`, `output` any variant's last output (`null` for an empty one);
 * - `respond`: `{ text, usage }`;
 * - with a `catch` policy, or the fallback's last output (`null` for an empty fallback).
 *
 * @example
 * ```ts
 * formatShape(outputShapeOf(invoke('check', { model, prompt, output: 'boolean' }), context));
 * // '{ text: string; value: boolean; usage: { inputTokens: number; outputTokens: number } }'
 * ```
 */
export function outputShapeOf(step: Step, context: OutputShapeContext): Shape {
  const own = ownOutputShape(step, context);
  const fallback = step.type === 'respond' ? undefined : step.policy?.catch?.fallback;
  return fallback === undefined ? own : unionOf([own, context.sequence(fallback, 'fallback')]);
}

function ownOutputShape(step: Step, context: OutputShapeContext): Shape {
  switch (step.type) {
    case 'invoke': {
      if (step.output === 'text') return closedObject({ text: STRING, usage: MODEL_USAGE_SHAPE });
      const value: Shape = step.output === 'boolean' ? { kind: 'boolean' } : UNKNOWN;
      return closedObject({ text: STRING, value, usage: MODEL_USAGE_SHAPE });
    }
    case 'retrieve':
      return closedObject({
        results: {
          kind: 'array',
          items: {
            kind: 'object',
            properties: { text: STRING, score: { kind: 'number' }, source: STRING },
            required: ['text', 'score'],
          },
        },
      });
    case 'task': {
      const schema = declaredJsonSchema(step.output, step.outputJsonSchema);
      return schema === undefined ? UNKNOWN : shapeOfJsonSchema(schema);
    }
    case 'transform': {
      const properties: { [key: string]: Shape } = {};
      for (const [key, spec] of Object.entries(step.set)) properties[key] = context.value(spec, `set.${key}`);
      return closedObject(properties);
    }
    case 'parallel': {
      const properties: { [key: string]: Shape } = {};
      for (const [name, steps] of Object.entries(step.branches)) {
        properties[name] = context.sequence(steps, `branch "${name}"`);
      }
      return closedObject(properties);
    }
    case 'choose': {
      const outputs = step.cases.map((entry, index) => context.sequence(entry.steps, `case #${index + 1}`));
      outputs.push(step.otherwise === undefined ? NULL_SHAPE : context.sequence(step.otherwise, 'otherwise'));
      return unionOf(outputs);
    }
    case 'map':
      return { kind: 'array', items: context.sequence(step.steps, 'items', context.itemOf(step)) };
    case 'split': {
      const names = Object.keys(step.variants);
      const outputs = names.map((name) => context.sequence(step.variants[name]!.steps, `variant "${name}"`));
      return closedObject({ variant: { kind: 'string', values: names }, output: unionOf(outputs) });
    }
    case 'respond':
      return closedObject({ text: STRING, usage: MODEL_USAGE_SHAPE });
  }
}
