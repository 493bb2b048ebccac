import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Condition } from '../condition/condition';
import type { RetrievalResult } from '../model/knowledge-base';
import type { ModelUsage } from '../model/model-provider';
import type { Step, ValueSpec } from './step';

// The type-level twin of check-paths.ts: the state a chain builds, as TypeScript sees it. It walks the step
// tuples that the builders keep (`const` type parameters), so it knows each step's output type, and it collects
// the condition, value, `map.items` and `messages.from` paths that cannot exist. Templates are left to the
// check at definition time. Anything it cannot follow (a step list typed `Step[]`, a handler without an output
// schema, a schema typed loosely) becomes `unknown`, below which every path is allowed.

/** What a step may read while the chain is walked: the parsed input, the outputs so far, the map item. */
interface TypeScope {
  input: unknown;
  steps: object;
  item: unknown;
}

type Walk<S extends Step[], Sc extends TypeScope, Last = null, E extends string = never> = S extends [
  infer H extends Step,
  ...infer R extends Step[],
]
  ? Visit<H, Sc> extends { out: infer O; errors: infer E2 extends string }
    ? Walk<R, AddStep<Sc, H['id'], O>, O, E | E2>
    : never
  : number extends S['length']
    ? { scope: AddStep<Sc, string, unknown>; last: unknown; errors: E }
    : { scope: Sc; last: Last; errors: E };

type AddStep<Sc extends TypeScope, Id extends string, O> = {
  input: Sc['input'];
  steps: Sc['steps'] & { [K in Id]: O };
  item: Sc['item'];
};

type Visit<H extends Step, Sc extends TypeScope> =
  Own<H, Sc> extends { out: infer O; errors: infer E extends string }
    ? Fallback<H, Sc> extends { out: infer FO; errors: infer FE extends string }
      ? { out: O | FO; errors: E | FE }
      : never
    : never;

type Fallback<H extends Step, Sc extends TypeScope> = H extends {
  policy?: { catch?: { fallback: infer F extends Step[] } };
}
  ? [F] extends [never]
    ? { out: never; errors: never }
    : IsTuple<F> extends true
      ? Walk<F, Sc> extends { last: infer L; errors: infer E extends string }
        ? { out: L; errors: E }
        : never
      : { out: never; errors: never }
  : { out: never; errors: never };

type IsTuple<S extends unknown[]> = number extends S['length'] ? false : true;

type Own<H extends Step, Sc extends TypeScope> = Visitors<H, Sc>[H['type']];

/** One visitor per step kind; only the one of the step's `type` is evaluated. */
interface Visitors<H extends Step, Sc extends TypeScope> {
  invoke: { out: InvokeOutput<Field<H, 'output'>>; errors: never };
  retrieve: { out: { results: RetrievalResult[] }; errors: never };
  task: { out: TaskOutput<H>; errors: ValueErrors<Field<H, 'input'>, Sc, H['id']> };
  transform: { out: ValueOf<Field<H, 'set'>, Sc>; errors: ValueErrors<Field<H, 'set'>, Sc, H['id']> };
  parallel: ParallelVisit<Field<H, 'branches'>, Sc>;
  choose: ChooseVisit<Field<H, 'cases'>, OtherwiseOf<H>, Sc, H['id']>;
  map: MapVisit<Field<H, 'steps'>, Sc, Field<H, 'items'>, H['id']>;
  split: SplitVisit<Field<H, 'variants'>, Sc>;
  respond: { out: { text: string; usage: ModelUsage }; errors: RespondErrors<H, Sc> };
}

/** A field of a step, whatever its kind (`never` when it has none). */
type Field<H, K extends string> = H extends { [P in K]?: infer V } ? V : never;

type ParallelVisit<B, Sc extends TypeScope> = B extends { [branch: string]: Step[] }
  ? {
      out: { -readonly [K in keyof B]: Walk<B[K], Sc>['last'] };
      errors: { [K in keyof B]: Walk<B[K], Sc>['errors'] }[keyof B];
    }
  : { out: unknown; errors: never };

type SplitVisit<V, Sc extends TypeScope> = V extends { [variant: string]: { steps: Step[] } }
  ? {
      out: { variant: keyof V & string; output: { [K in keyof V]: Walk<V[K]['steps'], Sc>['last'] }[keyof V] };
      errors: { [K in keyof V]: Walk<V[K]['steps'], Sc>['errors'] }[keyof V];
    }
  : { out: unknown; errors: never };

type InvokeOutput<F> = F extends 'boolean'
  ? { text: string; value: boolean; usage: ModelUsage }
  : F extends 'json'
    ? { text: string; value: unknown; usage: ModelUsage }
    : { text: string; usage: ModelUsage };

type TaskOutput<H> = H extends { output?: StandardSchemaV1<any, infer O> } ? O : unknown;

type OtherwiseOf<H> = H extends { otherwise?: infer O } ? (O extends Step[] ? O : never) : never;

type ChooseVisit<Cases, Otherwise extends Step[], Sc extends TypeScope, Id extends string> = Cases extends {
  when: unknown;
  steps: Step[];
}[]
  ? {
      out: CaseOutput<Cases[number], Sc> | ([Otherwise] extends [never] ? null : Walk<Otherwise, Sc>['last']);
      errors: CaseErrors<Cases[number], Sc, Id> | ([Otherwise] extends [never] ? never : Walk<Otherwise, Sc>['errors']);
    }
  : { out: unknown; errors: never };

type CaseOutput<Case, Sc extends TypeScope> = Case extends { steps: infer S extends Step[] }
  ? Walk<S, Sc>['last']
  : never;

type CaseErrors<Case, Sc extends TypeScope, Id extends string> = Case extends {
  when: infer W;
  steps: infer S extends Step[];
}
  ? PathErrors<ConditionPaths<W>, Sc, Id> | Walk<S, Sc>['errors']
  : never;

type ConditionPaths<W> = W extends Condition<infer P> ? P : never;

type MapVisit<S, Sc extends TypeScope, Items, Id extends string> = S extends Step[]
  ? Items extends string
    ? Walk<S, { input: Sc['input']; steps: Sc['steps']; item: ElementOf<PathValue<Sc, Items>> }> extends {
        last: infer L;
        errors: infer E extends string;
      }
      ? { out: L[]; errors: E | PathErrors<Items, Sc, Id> }
      : never
    : never
  : { out: unknown; errors: never };

type ElementOf<T> = unknown extends T ? unknown : T extends readonly (infer E)[] ? E : never;

type RespondErrors<H, Sc extends TypeScope> = H extends { id: infer Id extends string; messages?: { from: infer F } }
  ? F extends string
    ? PathErrors<F, Sc, Id>
    : never
  : never;

/** The value a value spec builds: paths read the state, templates render strings, literals stay. */
type ValueOf<V, Sc extends TypeScope> = V extends string
  ? string extends V
    ? unknown
    : V extends `${string}{{${string}`
      ? string
      : V extends PathLike
        ? PathValue<Sc, V>
        : V
  : V extends number | boolean | null
    ? V
    : V extends object
      ? { -readonly [K in keyof V]: ValueOf<V[K], Sc> }
      : unknown;

type PathLike = 'input' | 'item' | 'index' | `${'input' | 'item'}${'.' | '['}${string}` | `steps.${string}`;

type ValuePaths<V> = V extends string
  ? V extends `${string}{{${string}`
    ? never
    : V extends PathLike
      ? V
      : never
  : V extends ValueSpec[] | number | boolean | null | undefined
    ? never
    : V extends object
      ? { [K in keyof V]: ValuePaths<V[K]> }[keyof V]
      : never;

type ValueErrors<V, Sc extends TypeScope, Id extends string> = PathErrors<ValuePaths<V>, Sc, Id>;

/** One message per path that cannot exist in the scope. */
type PathErrors<P, Sc extends TypeScope, Id extends string> = P extends string
  ? string extends P
    ? never
    : [PathValue<Sc, P>] extends [never]
      ? `${Id extends '' ? 'Chain output' : `Step "${Id}"`}: path "${P}" cannot exist here`
      : never
  : never;

/** The type of the value at a path, `never` when the path cannot exist. */
type PathValue<Sc extends TypeScope, P extends string> = P extends `input${infer Rest}`
  ? Resolve<Sc['input'], Segments<Rest>>
  : P extends `steps.${infer Rest}`
    ? Resolve<Sc['steps'], Segments<`.${Rest}`>>
    : P extends `item${infer Rest}`
      ? Resolve<Sc['item'], Segments<Rest>>
      : P extends 'index'
        ? number
        : never;

/** `.a.b[0].c` -> `['a', 'b', number, 'c']`; `never` for what is not a path's tail. */
type Segments<S extends string> = S extends ''
  ? []
  : S extends `[${number}]${infer Rest}`
    ? [number, ...Segments<Rest>]
    : S extends `.${infer Rest}`
      ? Rest extends `${infer Key}.${infer After}`
        ? Key extends `${infer K}[${infer Index}`
          ? [K, ...Segments<`[${Index}.${After}`>]
          : [Key, ...Segments<`.${After}`>]
        : Rest extends `${infer K}[${infer Index}`
          ? [K, ...Segments<`[${Index}`>]
          : [Rest]
      : never;

type Resolve<T, S> = S extends [infer H, ...infer R] ? Resolve<Get<T, H>, R> : S extends [] ? T : never;

type Get<T, K> = unknown extends T
  ? T
  : T extends readonly (infer E)[]
    ? K extends number
      ? E
      : never
    : T extends object
      ? K extends keyof T
        ? Exclude<T[K], undefined>
        : never
      : never;

/**
 * The parsed input of a Standard Schema (what the state holds after validation), `unknown` without one.
 *
 * @example
 * ```ts
 * type Parsed = SchemaOutput<typeof inputSchema>; // z.output<typeof inputSchema>
 * ```
 */
export type SchemaOutput<Schema> = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<Schema> : unknown;

/**
 * What callers pass for a Standard Schema (before defaults and transforms), `unknown` without one.
 *
 * @example
 * ```ts
 * type RunInput = SchemaInput<typeof inputSchema>; // z.input<typeof inputSchema>
 * ```
 */
export type SchemaInput<Schema> = Schema extends StandardSchemaV1 ? StandardSchemaV1.InferInput<Schema> : unknown;

type TopWalk<Steps extends Step[], Schema> = Walk<Steps, { input: SchemaOutput<Schema>; steps: {}; item: never }>;

/**
 * The type of a chain's output: its `output` spec built from the final state, else the output of the last
 * top-level step that is not `respond`, else `null` (decision 0001). `unknown` where the steps are not known.
 *
 * @example
 * ```ts
 * type Output = ChainOutputType<typeof steps, { route: 'steps.route.route' }, typeof inputSchema>;
 * ```
 */
export type ChainOutputType<Steps extends Step[], OutputSpec, Schema> = [OutputSpec] extends [
  { [key: string]: ValueSpec },
]
  ? ValueOf<OutputSpec, TopWalk<Steps, Schema>['scope']>
  : LastOutput<Steps, TopWalk<Steps, Schema>['scope']['steps']>;

type LastOutput<Steps extends Step[], Outputs> = Steps extends [...infer R extends Step[], infer L extends Step]
  ? L extends { type: 'respond' }
    ? LastOutput<R, Outputs>
    : L['id'] extends keyof Outputs
      ? Outputs[L['id']]
      : unknown
  : Steps extends []
    ? null
    : unknown;

/**
 * The paths of a chain that cannot exist, one message each (`Step "route": path "steps.needsDocs.valeu" cannot
 * exist here`), `never` when there are none: condition paths, value paths (`transform.set`, `task.input`, the
 * chain's `output`), `map.items` and `messages.from`, each checked against the typed state in its scope.
 *
 * @example
 * ```ts
 * type Problems = ChainPathErrors<typeof steps, undefined, typeof inputSchema>; // never when every path can exist
 * ```
 */
export type ChainPathErrors<Steps extends Step[], OutputSpec, Schema> =
  | TopWalk<Steps, Schema>['errors']
  | PathErrors<ValuePaths<OutputSpec>, TopWalk<Steps, Schema>['scope'], ''>;
