import type { Comparable, Condition } from './condition';

/**
 * The value at `path` equals `value` (strict: a string never equals a number).
 *
 * @example
 * ```ts
 * when(eq('steps.classify.value.intent', 'refund'), [respond('answer', { model, prompt: '...' })]);
 * ```
 */
export function eq<const Path extends string>(path: Path, value: Comparable): Condition<Path> {
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
export function ne<const Path extends string>(path: Path, value: Comparable): Condition<Path> {
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
export function gt<const Path extends string>(path: Path, value: number | string): Condition<Path> {
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
export function gte<const Path extends string>(path: Path, value: number | string): Condition<Path> {
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
export function lt<const Path extends string>(path: Path, value: number | string): Condition<Path> {
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
export function lte<const Path extends string>(path: Path, value: number | string): Condition<Path> {
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
export function isTrue<const Path extends string>(path: Path): Condition<Path> {
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
export function isFalse<const Path extends string>(path: Path): Condition<Path> {
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
export function exists<const Path extends string>(path: Path): Condition<Path> {
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
export function matches<const Path extends string>(path: Path, pattern: string): Condition<Path> {
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
export function and<const Path extends string>(...conditions: Condition<Path>[]): Condition<Path> {
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
export function or<const Path extends string>(...conditions: Condition<Path>[]): Condition<Path> {
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
export function not<const Path extends string>(condition: Condition<Path>): Condition<Path> {
  return { op: 'not', condition };
}
