import { describe, expect, it } from 'vitest';
import { nearestName } from './nearest-name';

describe('nearestName', () => {
  it('finds the closest candidate by edits, swaps and case', () => {
    expect(nearestName('valeu', ['text', 'usage', 'value'])).toBe('value');
    expect(nearestName('qestion', ['history', 'question'])).toBe('question');
    expect(nearestName('txt', ['text', 'usage'])).toBe('text');
    expect(nearestName('Value', ['valve', 'value'])).toBe('value');
    expect(nearestName('needDocs', ['keywords', 'needsDocs'])).toBe('needsDocs');
  });
  it('prefers the earlier candidate on a tie, and has none without candidates', () => {
    expect(nearestName('ab', ['ac', 'ad'])).toBe('ac');
    expect(nearestName('x', [])).toBeUndefined();
  });
});
