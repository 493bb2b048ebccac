import { defineChain, invoke, parallel, retrieve, task, transform } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { locateFailedStep } from './locate-failed-step';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const chain = defineChain({
  name: 'locate',
  steps: [
    transform('prepare', { set: { q: 'input.q' } }),
    retrieve('docs', { knowledgeBaseId: 'KB1', query: '{{input.q}}' }),
    parallel('both', {
      a: [invoke('summary', { model: HAIKU, prompt: '{{input.q}}' })],
      b: [
        task('offer', {
          handler: 'offer',
          policy: {
            timeoutSeconds: 5,
            catch: { errors: ['States.ALL'], fallback: [task('fallbackOffer', { handler: 'other' })] },
          },
        }),
      ],
    }),
  ],
  output: { q: 'steps.prepare.q' },
});

describe('locateFailedStep', () => {
  it("reads the step and the original cause from a Fail state's envelope", () => {
    const cause = JSON.stringify({
      stepwiseStepId: 'fallbackOffer',
      error: { Error: 'OtherError', Cause: '{"errorMessage":"no"}' },
    });
    expect(locateFailedStep(chain, 'OtherError', cause)).toEqual({
      stepId: 'fallbackOffer',
      cause: '{"errorMessage":"no"}',
    });
    // An error without a cause, and a cause cut short by Step Functions' limit, still name the step.
    expect(
      locateFailedStep(chain, 'States.Timeout', '{"stepwiseStepId":"offer","error":{"Error":"States.Timeout"}}'),
    ).toEqual({ stepId: 'offer' });
    const cut = '{"stepwiseStepId":"summary","error":{"Error":"Bedrock.ModelTimeoutException","Cause":"wai';
    expect(locateFailedStep(chain, 'Bedrock.ModelTimeoutException', cut)).toEqual({ stepId: 'summary', cause: cut });
  });

  it('ignores an envelope naming a step the chain does not have', () => {
    const cause = '{"stepwiseStepId":"nope","error":{"Error":"X"}}';
    expect(locateFailedStep(chain, 'BedrockAgentRuntime.ThrottlingException', cause)).toEqual({
      stepId: 'docs',
      cause,
    });
  });

  it("maps the state an uncatchable error's cause names to its step, and the chain output's to none", () => {
    const runtime = (state: string) =>
      `An error occurred while executing the state '${state}' (entered at the event id #7). The JSONPath '$.input.q' specified for the field 'Text.$' could not be found in the input '{}'`;
    expect(locateFailedStep(chain, 'States.Runtime', runtime('Both.a.Summary'))).toEqual({
      stepId: 'summary',
      cause: runtime('Both.a.Summary'),
    });
    expect(locateFailedStep(chain, 'States.Runtime', runtime('Docs.Results'))).toMatchObject({ stepId: 'docs' });
    expect(locateFailedStep(chain, 'States.Runtime', runtime('Output'))).toEqual({ cause: runtime('Output') });
    const tooLarge =
      "The state/task 'Both' returned a result with a size exceeding the maximum number of bytes service limit.";
    expect(locateFailedStep(chain, 'States.DataLimitExceeded', tooLarge)).toEqual({ stepId: 'both', cause: tooLarge });
  });

  it('otherwise names the one step that can raise the error, or none', () => {
    expect(locateFailedStep(chain, 'Bedrock.ThrottlingException', 'slow down')).toEqual({
      stepId: 'summary',
      cause: 'slow down',
    });
    expect(locateFailedStep(chain, 'States.Timeout', undefined)).toEqual({ stepId: 'offer' });
    expect(locateFailedStep(chain, 'States.Runtime', "Path expression '$.input.q' does not point to a value")).toEqual({
      cause: "Path expression '$.input.q' does not point to a value",
    });
  });
});
