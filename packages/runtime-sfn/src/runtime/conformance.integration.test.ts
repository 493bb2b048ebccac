import { DeleteStateMachineCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { Step } from '@stepwise/core';
import { conformanceCases, describeRuntimeConformance } from '@stepwise/core/testing';
import { fakeModels, memoryKnowledgeBase } from '@stepwise/runtime-local';
import { describe, it } from 'vitest';
import { createSfnRuntime } from './create-sfn-runtime';

/**
 * The conformance suite on a real Step Functions target:
 * - `STEPWISE_SFN_ENDPOINT` (and `STEPWISE_BEDROCK_ENDPOINT`): a service on an endpoint, such as `stepwise emulate`;
 * - else `STEPWISE_ROLE_ARN`: real AWS, with the SDK's credentials and region (`AWS_REGION`).
 * Machines are deployed as `stepwise-it-<case>` with `STEPWISE_ROLE_ARN` and deleted afterwards.
 *
 * The fakes of a case live in this process, and a remote target cannot call them: only the cases whose chains call no
 * model, knowledge base or handler (transforms, choose, map, split over state) run; the rest are skipped.
 */
const endpoint = process.env.STEPWISE_SFN_ENDPOINT;
const bedrockEndpoint = process.env.STEPWISE_BEDROCK_ENDPOINT;
const roleArn =
  process.env.STEPWISE_ROLE_ARN ?? (endpoint ? 'arn:aws:iam::123456789012:role/stepwise-integration' : undefined);
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const credentials =
  endpoint && !process.env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'test', secretAccessKey: 'test' } : undefined;
const PREFIX = 'stepwise-it-';

function callsOutside(steps: readonly Step[]): boolean {
  return steps.some((step) => {
    if (step.type === 'invoke' || step.type === 'retrieve' || step.type === 'task' || step.type === 'respond')
      return true;
    if (step.policy?.catch && callsOutside(step.policy.catch.fallback)) return true;
    switch (step.type) {
      case 'parallel':
        return Object.values(step.branches).some(callsOutside);
      case 'choose':
        return step.cases.some((item) => callsOutside(item.steps)) || callsOutside(step.otherwise ?? []);
      case 'map':
        return callsOutside(step.steps);
      case 'split':
        return Object.values(step.variants).some((variant) => callsOutside(variant.steps));
      default:
        return false;
    }
  });
}

if (!roleArn) {
  describe('runtime conformance: runtime-sfn (integration)', () => {
    it.skip('needs STEPWISE_SFN_ENDPOINT or STEPWISE_ROLE_ARN', () => {});
  });
} else {
  const client = new SFNClient({
    region,
    ...(endpoint ? { endpoint, disableHostPrefix: true } : {}),
    ...(credentials ? { credentials } : {}),
  });
  describeRuntimeConformance(`runtime-sfn (integration: ${endpoint ?? `AWS ${region}`})`, {
    createRuntime: ({ case: testCase }) =>
      createSfnRuntime({
        region,
        roleArn,
        client,
        ...(bedrockEndpoint ? { bedrockEndpoint } : {}),
        ...(credentials ? { credentials } : {}),
        deploy: { name: `${PREFIX}${testCase.name}`.slice(0, 80) },
      }),
    fakeModels,
    memoryKnowledgeBase,
    // Random draws happen in the service; the abort cases need local handlers.
    skipTags: ['random'],
    skip: conformanceCases.filter((testCase) => callsOutside(testCase.chain.steps)).map((testCase) => testCase.name),
    timeoutMs: 120_000,
    async teardown() {
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListStateMachinesCommand({ nextToken }));
        for (const machine of page.stateMachines ?? []) {
          if (machine.name?.startsWith(PREFIX)) {
            await client.send(new DeleteStateMachineCommand({ stateMachineArn: machine.stateMachineArn }));
          }
        }
        nextToken = page.nextToken;
      } while (nextToken);
      client.destroy();
    },
  });
}
