import type { Comparable, Condition } from './condition';

/**
 * The value at `path` equals `value` (strict: a string never equals a number).
 *
 * @example
 * ```ts
 * when(eq('steps.classify.value.intent', 'refund'), [respond('answer', { model, prompt: '...' })]);
 * ```
 */
export function eq(path: string, value: Comparable): Condition {
  return { op: 'eq', path, value };
}

/**
 * The value at `path` exists and differs from `value`.
 *
 * @example
 * ```ts
 * ne('input.language', 'en');
 * ```
 */
export function ne(path: string, value: Comparable): Condition {
  return { op: 'ne', path, value };
}

/**
 * The value at `path` is greater than `value` (numbers with numbers, strings with strings).
 *
 * @example
 * ```ts
 * gt('steps.score.value', 0.8);
 * ```
 */
export function gt(path: string, value: number | string): Condition {
  return { op: 'gt', path, value };
}

/**
 * The value at `path` is greater than or equal to `value`.
 *
 * @example
 * ```ts
 * gte('input.age', 18);
 * ```
 */
export function gte(path: string, value: number | string): Condition {
  return { op: 'gte', path, value };
}

/**
 * The value at `path` is less than `value`.
 *
 * @example
 * ```ts
 * lt('steps.score.value', 0.2);
 * ```
 */
export function lt(path: string, value: number | string): Condition {
  return { op: 'lt', path, value };
}

/**
 * The value at `path` is less than or equal to `value`.
 *
 * @example
 * ```ts
 * lte('input.items', 10);
 * ```
 */
export function lte(path: string, value: number | string): Condition {
  return { op: 'lte', path, value };
}

/**
 * The value at `path` is the boolean `true`.
 *
 * @example
 * ```ts
 * when(isTrue('steps.needsContext.value'), [retrieve('docs', { knowledgeBaseId, query: '{{input.question}}' })]);
 * ```
 */
export function isTrue(path: string): Condition {
  return { op: 'isTrue', path };
}

/**
 * The value at `path` is the boolean `false`.
 *
 * @example
 * ```ts
 * isFalse('steps.churn.value.risk');
 * ```
 */
export function isFalse(path: string): Condition {
  return { op: 'isFalse', path };
}

/**
 * Something is at `path` (even `null`).
 *
 * @example
 * ```ts
 * exists('input.history');
 * ```
 */
export function exists(path: string): Condition {
  return { op: 'exists', path };
}

/**
 * The string at `path` matches `pattern`, where `*` stands for any run of characters (ASL `StringMatches`;
 * write `\\*` for a literal star).
 *
 * @example
 * ```ts
 * matches('input.email', '*@example.com');
 * ```
 */
export function matches(path: string, pattern: string): Condition {
  return { op: 'matches', path, pattern };
}

/**
 * Every condition holds.
 *
 * @example
 * ```ts
 * and(isTrue('steps.a.value'), gt('input.n', 3));
 * ```
 */
export function and(...conditions: Condition[]): Condition {
  return { op: 'and', conditions };
}

/**
 * At least one condition holds.
 *
 * @example
 * ```ts
 * or(eq('input.tier', 'gold'), eq('input.tier', 'platinum'));
 * ```
 */
export function or(...conditions: Condition[]): Condition {
  return { op: 'or', conditions };
}

/**
 * The condition does not hold.
 *
 * @example
 * ```ts
 * not(exists('input.history'));
 * ```
 */
export function not(condition: Condition): Condition {
  return { op: 'not', condition };
}
