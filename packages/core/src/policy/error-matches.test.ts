import { describe, expect, it } from 'vitest';
import { errorMatches } from './error-matches';

describe('errorMatches', () => {
  it('matches a name by itself', () => {
    expect(errorMatches(['Bedrock.ThrottlingException'], 'Bedrock.ThrottlingException')).toBe(true);
    expect(errorMatches(['Bedrock.ThrottlingException'], 'Bedrock.ModelTimeoutException')).toBe(false);
    expect(errorMatches(['States.Timeout'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['OrderNotFound'], 'OrderNotFound')).toBe(true);
    expect(errorMatches([], 'OrderNotFound')).toBe(false);
  });
  it('States.ALL matches everything but the terminal errors', () => {
    for (const name of ['States.Timeout', 'States.TaskFailed', 'Bedrock.ThrottlingException', 'TypeError']) {
      expect(errorMatches(['States.ALL'], name)).toBe(true);
    }
    expect(errorMatches(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(errorMatches(['States.DataLimitExceeded'], 'States.DataLimitExceeded')).toBe(true);
  });
  it('States.TaskFailed matches task errors, not States.Timeout', () => {
    expect(errorMatches(['States.TaskFailed'], 'Bedrock.ThrottlingException')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'OrderNotFound')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.TaskFailed')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['States.TaskFailed'], 'States.Permissions')).toBe(false);
  });
  it('never matches States.Runtime, even by name', () => {
    expect(errorMatches(['States.Runtime'], 'States.Runtime')).toBe(false);
    expect(errorMatches(['States.TaskFailed', 'States.ALL'], 'States.Runtime')).toBe(false);
  });
});
