import { describe, expect, it } from 'vitest';
import { runStepwise } from './run-stepwise';

describe('stepwise check', () => {
  it('prints the state a chain builds, step by step, with the shapes', async () => {
    const { code, stdout, stderr } = await runStepwise(['check', 'examples/router']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const usage = '{ inputTokens: number; outputTokens: number }';
    const support = '{ route: "support"; instructions: "Answer the question helpfully in at most…" }';
    expect(stdout).toBe(
      [
        'router: every path it reads can exist',
        '  input: { customerId: string; message: string }',
        `  steps.classify (invoke): { text: string; value: unknown; usage: ${usage} }`,
        `  steps.route (choose): { route: "retention"; instructions: string } | ${support}`,
        '    steps.createOffer (task, in route: case #1): unknown',
        '    steps.retentionBrief (transform, in route: case #1): { route: "retention"; instructions: string }',
        `    steps.supportBrief (transform, in route: otherwise): ${support}`,
        `  steps.reply (respond): { text: string; usage: ${usage} }`,
        '  output: { churnRisk: unknown; reason: unknown; route: "retention" | "support" }',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON Schemas with --json, for one chain of a file with --chain', async () => {
    const { code, stdout } = await runStepwise(['check', 'examples/shared', '--chain', 'parallel-map', '--json']);
    expect(code).toBe(0);
    const { chains } = JSON.parse(stdout) as { chains: Array<Record<string, any>> };
    expect(chains.map((chain) => chain.name)).toEqual(['parallel-map']);
    const [digest] = chains;
    expect(digest!.steps.map((step: { id: string; depth: number }) => [step.id, step.depth])).toEqual([
      ['summaries', 0],
      ['summarize', 1],
      ['entry', 1],
      ['synthesis', 0],
    ]);
    expect(digest!.steps[2].within).toBe('summaries: items');
    expect(digest!.output).toEqual({
      type: 'object',
      properties: {
        summaries: {
          type: 'array',
          items: {
            type: 'object',
            properties: { title: { type: 'string' }, summary: { type: 'string' } },
            required: ['title', 'summary'],
            additionalProperties: false,
          },
        },
      },
      required: ['summaries'],
      additionalProperties: false,
    });
  });

  it('exits 1 with the step, the path and the nearest valid path when a path cannot exist', async () => {
    const { code, stdout, stderr } = await runStepwise(['check', 'packages/cli/test/fixtures/typo-chain.ts']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'packages/cli/test/fixtures/typo-chain.ts: ChainDefinitionError: Step "keywords": prompt reads "input.qestion", ' +
        'which cannot exist: "input" has no key "qestion" (it is { question: string }). Did you mean "input.question"?\n',
    );
  });

  it('exits 2 for an unknown chain name', async () => {
    const { code, stderr } = await runStepwise(['check', 'examples/router', '--chain', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/No chain named "nope"/);
  });
});
