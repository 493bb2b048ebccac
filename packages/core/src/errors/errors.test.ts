import { describe, expect, it } from 'vitest';
import { AbortedError } from './aborted-error';
import { ChainDefinitionError } from './chain-definition-error';
import { ExecutionTimeoutError } from './execution-timeout-error';
import { InputValidationError } from './input-validation-error';
import { ModelError } from './model-error';
import { StepFailedError } from './step-failed-error';
import { StepwiseError } from './stepwise-error';
import { TemplateError } from './template-error';

/** What another copy of the package would create: same marker and name, another class. */
function foreign(name: string, extra: object = {}): Error {
  const error = new Error('from another copy');
  Object.defineProperty(error, Symbol.for('stepwise.error'), { value: true });
  Object.defineProperty(error, 'name', { value: name });
  return Object.assign(error, extra);
}

const kinds = [
  ['AbortedError', AbortedError, () => new AbortedError('aborted')],
  ['ChainDefinitionError', ChainDefinitionError, () => new ChainDefinitionError('bad')],
  ['ExecutionTimeoutError', ExecutionTimeoutError, () => new ExecutionTimeoutError('late')],
  ['InputValidationError', InputValidationError, () => new InputValidationError('invalid', [])],
  ['ModelError', ModelError, () => new ModelError('throttled', { error: 'Bedrock.ThrottlingException' })],
  ['StepFailedError', StepFailedError, () => new StepFailedError('failed', { error: 'States.TaskFailed' })],
  ['TemplateError', TemplateError, () => new TemplateError('missing')],
] as const;

describe('errors', () => {
  it.each(kinds)('%s has a stable name and is a StepwiseError', (name, Kind, make) => {
    const error = make();
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(StepwiseError);
    expect(Kind.isInstance(error)).toBe(true);
    expect(StepwiseError.isInstance(error)).toBe(true);
  });

  it.each(kinds)('%s.isInstance recognises a copy from another package instance, and nothing else', (name, Kind) => {
    expect(Kind.isInstance(foreign(name))).toBe(true);
    expect(StepwiseError.isInstance(foreign(name))).toBe(true);
    expect(Kind.isInstance(foreign('SomethingElse'))).toBe(false);
    const plain = new Error('plain');
    plain.name = name;
    expect(Kind.isInstance(plain)).toBe(false);
    expect(Kind.isInstance(null)).toBe(false);
    expect(Kind.isInstance('ModelError')).toBe(false);
    expect(Kind.isInstance({ name })).toBe(false);
  });

  it('tells the kinds apart', () => {
    const timeout = new ExecutionTimeoutError('late');
    expect(AbortedError.isInstance(timeout)).toBe(false);
    expect(StepFailedError.isInstance(new ModelError('x', { error: 'Bedrock.ValidationException' }))).toBe(false);
  });

  it('keeps cause, stepId and retryable', () => {
    const cause = new Error('socket hang up');
    const error = new StepFailedError('Step "a" failed', {
      error: 'Bedrock.ThrottlingException',
      errorCause: 'Too many requests',
      stepId: 'a',
      cause,
      retryable: true,
    });
    expect(error.cause).toBe(cause);
    expect(error.stepId).toBe('a');
    expect(error.retryable).toBe(true);
    expect(error.error).toBe('Bedrock.ThrottlingException');
    expect(error.errorCause).toBe('Too many requests');
    expect(new TemplateError('x').retryable).toBe(false);
    expect(new TemplateError('x').stepId).toBeUndefined();
    expect('cause' in new TemplateError('x')).toBe(false);
  });

  it('ModelError is retryable for transient Bedrock errors only, unless told otherwise', () => {
    expect(new ModelError('x', { error: 'Bedrock.ThrottlingException', statusCode: 429 }).retryable).toBe(true);
    expect(new ModelError('x', { error: 'Bedrock.ServiceUnavailableException' }).retryable).toBe(true);
    expect(new ModelError('x', { error: 'Bedrock.ValidationException', statusCode: 400 }).retryable).toBe(false);
    expect(new ModelError('x', { error: 'Bedrock.ThrottlingException', retryable: false }).retryable).toBe(false);
    expect(new ModelError('x', { error: 'Bedrock.ValidationException', statusCode: 400 }).statusCode).toBe(400);
  });

  it('toJSON never includes the cause or the stack', () => {
    const cause = new Error('secret internals');
    const cases: Array<[StepwiseError, object]> = [
      [new TemplateError('missing', { cause }), { name: 'TemplateError', message: 'missing' }],
      [new AbortedError('aborted', { cause, stepId: 's' }), { name: 'AbortedError', message: 'aborted', stepId: 's' }],
      [
        new StepFailedError('failed', { error: 'OrderNotFound', errorCause: 'secret', stepId: 's', cause }),
        { name: 'StepFailedError', message: 'failed', stepId: 's', error: 'OrderNotFound' },
      ],
      [
        new ModelError('throttled', { error: 'Bedrock.ThrottlingException', cause }),
        { name: 'ModelError', message: 'throttled', error: 'Bedrock.ThrottlingException' },
      ],
      [
        new InputValidationError('invalid', [{ message: 'Expected string', path: ['q'] }], { cause }),
        { name: 'InputValidationError', message: 'invalid', issues: [{ message: 'Expected string', path: ['q'] }] },
      ],
    ];
    for (const [error, expected] of cases) {
      expect(error.toJSON()).toEqual(expected);
      const wire = JSON.stringify(error);
      expect(JSON.parse(wire)).toEqual(expected);
      expect(wire).not.toContain('secret');
      expect(wire).not.toContain('stack');
      expect(wire).not.toContain('cause');
    }
  });
});
