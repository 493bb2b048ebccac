import { describe, expect, it } from 'vitest';
import { StepFailedError } from '../errors/step-failed-error';
import { respondMessages } from './respond-messages';

const options = { stepId: 'answer', from: 'input.history' };

function failureOf(run: () => unknown): StepFailedError {
  try {
    run();
  } catch (error) {
    if (StepFailedError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('respondMessages', () => {
  const history = [
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'Refunds?' },
  ];

  it('keeps the last `last` messages, as { role, content } only', () => {
    expect(respondMessages(history, options)).toEqual(history);
    expect(respondMessages(history, { ...options, last: 2 })).toEqual(history.slice(1));
    expect(respondMessages(history, { ...options, last: 10 })).toEqual(history);
    expect(respondMessages([{ role: 'user', content: 'x', extra: 1 }], options)).toEqual([
      { role: 'user', content: 'x' },
    ]);
    expect(respondMessages([], options)).toEqual([]);
  });

  it('fails with States.Runtime when messages.from is not an array', () => {
    for (const value of [{ role: 'user', content: 'Hi' }, 'Hi', null, 3, undefined]) {
      const failure = failureOf(() => respondMessages(value, options));
      expect(failure).toMatchObject({ error: 'States.Runtime', stepId: 'answer' });
      expect(failure.message).toContain('messages.from "input.history" must be an array');
    }
  });

  it('fails with Bedrock.ValidationException for a kept message of another shape, naming it', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ role: 'system', content: 'x' }, /\[1\] has role "system"/],
      [{ content: 'x' }, /\[1\] has role missing/],
      [{ role: 'user', content: 42 }, /\[1\] has content that is a number/],
      [{ role: 'user', content: [{ text: 'x' }] }, /\[1\] has content that is an array/],
      ['just text', /\[1\] must be a \{ role: 'user' \| 'assistant', content: string \} message, but it is a string/],
      [null, /\[1\] .* but it is null/],
    ];
    for (const [message, expected] of cases) {
      const failure = failureOf(() => respondMessages([{ role: 'user', content: 'ok' }, message], options));
      expect(failure).toMatchObject({ error: 'Bedrock.ValidationException', stepId: 'answer', retryable: false });
      expect(failure.errorCause).toMatch(expected);
    }
  });

  it('does not check messages cut off by `last`: they are never sent', () => {
    expect(respondMessages([{ role: 'system', content: 'old' }, ...history], { ...options, last: 3 })).toEqual(history);
  });
});
