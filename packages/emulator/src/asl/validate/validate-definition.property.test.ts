import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeDefinition } from './validate-definition';

/** Any field a state, a rule or a retrier might carry, with any JSON value: the validator judges, never throws. */
const field = fc.constantFrom(
  'Type',
  'Next',
  'End',
  'Resource',
  'Parameters',
  'ResultPath',
  'InputPath',
  'Choices',
  'Default',
  'Retry',
  'Catch',
  'Branches',
  'ItemProcessor',
  'Iterator',
  'Label',
  'Seconds',
  'Timestamp',
  'ErrorPath',
  'QueryLanguage',
  'States',
  'StartAt',
  'Variable',
  'And',
  'Not',
  'ErrorEquals',
  'x.$',
);
const typeName = fc.constantFrom('Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map', 'Nope');
const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), typeName, fc.constantFrom('$.a', 'States.UUID()', 'A', '$$'));
const state = fc.dictionary(field, value, { maxKeys: 6 }).map((object) => ({ Type: object.Type ?? 'Pass', ...object }));

describe('analyzeDefinition on arbitrary input', () => {
  it('answers every definition-shaped value with a verdict', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('A', 'B', 'C'), state),
        fc.constantFrom('A', 'B', 'Z'),
        (states, start) => {
          const analysis = analyzeDefinition(JSON.stringify({ StartAt: start, States: states }), 'EXPRESS');
          expect(['OK', 'FAIL']).toContain(analysis.result);
          expect(analysis.result === 'OK').toBe(analysis.diagnostics.length === 0);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('answers every text with a verdict', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        expect(['OK', 'FAIL']).toContain(analyzeDefinition(text).result);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
