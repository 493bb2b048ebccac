/**
 * A value a comparison condition compares with.
 *
 * @example
 * ```ts
 * const tier: Comparable = 'gold';
 * eq('input.tier', tier);
 * ```
 */
export type Comparable = string | number | boolean | null;

/**
 * A routing condition for `when`: plain data over state paths, evaluated by runtime-local and compiled to an
 * ASL Choice rule. Build them with `eq`, `ne`, `gt`, `gte`, `lt`, `lte`, `isTrue`, `isFalse`, `exists`,
 * `matches`, `and`, `or`, `not`. `Path` is the union of the paths it reads, which `defineChain` checks as it types
 * the chain.
 *
 * @example
 * ```ts
 * const condition: Condition = and(isTrue('steps.needsDocs.value'), gt('input.question_length', 20));
 * ```
 */
export type Condition<Path extends string = string> =
  | { op: 'eq' | 'ne'; path: Path; value: Comparable }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; path: Path; value: number | string }
  | { op: 'isTrue' | 'isFalse' | 'exists'; path: Path }
  | { op: 'matches'; path: Path; pattern: string }
  | { op: 'and'; conditions: Condition<Path>[] }
  | { op: 'or'; conditions: Condition<Path>[] }
  | { op: 'not'; condition: Condition<Path> };
