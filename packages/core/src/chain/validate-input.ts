import { InputValidationError } from '../errors/input-validation-error';
import type { Chain } from './chain';

/**
 * Validates a run's input against the chain's Standard Schema and returns the (possibly transformed) value.
 * Without a schema the input is returned as is. Throws `InputValidationError` listing every issue.
 *
 * @example
 * ```ts
 * const input = await validateInput(chain, JSON.parse(body)); // throws InputValidationError on bad input
 * ```
 */
export async function validateInput<Parsed>(chain: Chain<any, any, Parsed>, input: unknown): Promise<Parsed> {
  const schema = chain.input;
  if (!schema) return input as Parsed;
  let result = schema['~standard'].validate(input);
  if (result instanceof Promise) result = await result;
  if (!result.issues) return result.value;
  const issues = result.issues.map((issue) => ({
    message: issue.message,
    path: (issue.path ?? []).map((segment) =>
      typeof segment === 'object' && segment !== null ? (segment.key as string | number) : (segment as string | number),
    ),
  }));
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  throw new InputValidationError(`Input of chain "${chain.name}" is invalid: ${summary}${more}.`, issues);
}
