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
 * `matches`, `and`, `or`, `not`.
 *
 * @example
 * ```ts
 * const condition: Condition = and(isTrue('steps.needsDocs.value'), gt('input.question_length', 20));
 * ```
 */
export type Condition =
  | { op: 'eq' | 'ne'; path: string; value: Comparable }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; path: string; value: number | string }
  | { op: 'isTrue' | 'isFalse' | 'exists'; path: string }
  | { op: 'matches'; path: string; pattern: string }
  | { op: 'and'; conditions: Condition[] }
  | { op: 'or'; conditions: Condition[] }
  | { op: 'not'; condition: Condition };
