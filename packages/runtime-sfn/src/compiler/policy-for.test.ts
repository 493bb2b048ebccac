import { defineChain, invoke, map, parallel, respond, retrieve, task } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { policyFor } from './policy-for';

describe('policyFor', () => {
  const chain = defineChain({
    name: 'p',
    steps: [
      invoke('a', { model: 'anthropic.claude-3-haiku-20240307-v1:0', prompt: 'x' }),
      parallel('b', {
        one: [invoke('c', { model: 'us.amazon.nova-lite-v1:0', prompt: 'x' })],
        two: [retrieve('d', { knowledgeBaseId: 'KB1', query: 'q' })],
      }),
      map('e', { items: 'input.list', steps: [task('f', { handler: 'offer' })] }),
      task('g', {
        handler: 'byArn',
        policy: { catch: { errors: ['States.ALL'], fallback: [task('h', { handler: 'fallback' })] } },
      }),
      respond('z', { model: 'anthropic.claude-3-5-sonnet-20240620-v1:0', prompt: 'x' }),
    ],
  });

  it('allows exactly the used models, knowledge bases and functions', () => {
    const policy = policyFor(chain, {
      region: 'eu-west-1',
      accountId: '123456789012',
      handlers: { byArn: 'arn:aws:lambda:eu-west-1:123456789012:function:by-arn' },
    });
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'InvokeModels',
          Effect: 'Allow',
          Action: ['bedrock:InvokeModel'],
          Resource: [
            'arn:aws:bedrock:*::foundation-model/amazon.nova-lite-v1:0',
            'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0',
            'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
          ],
        },
        {
          Sid: 'RetrieveFromKnowledgeBases',
          Effect: 'Allow',
          Action: ['bedrock:Retrieve'],
          Resource: ['arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/KB1'],
        },
        {
          Sid: 'InvokeHandlers',
          Effect: 'Allow',
          Action: ['lambda:InvokeFunction'],
          Resource: [
            'arn:aws:lambda:eu-west-1:123456789012:function:by-arn',
            'arn:aws:lambda:eu-west-1:123456789012:function:fallback',
            'arn:aws:lambda:eu-west-1:123456789012:function:offer',
          ],
        },
      ],
    });
  });

  it('leaves out the respond model and empty statements, and defaults to wildcards', () => {
    const policy = policyFor(
      defineChain({ name: 'q', steps: [invoke('a', { model: 'meta.llama3-8b-instruct-v1:0', prompt: 'x' })] }),
    );
    expect(policy.Statement).toEqual([
      {
        Sid: 'InvokeModels',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel'],
        Resource: ['arn:aws:bedrock:*::foundation-model/meta.llama3-8b-instruct-v1:0'],
      },
    ]);
  });

  it('grants CloudWatch Logs delivery for logging and X-Ray writes for tracing, only when asked', () => {
    const small = defineChain({
      name: 'logged',
      steps: [invoke('a', { model: 'meta.llama3-8b-instruct-v1:0', prompt: 'x' })],
    });
    const sids = (options: Parameters<typeof policyFor>[1]) =>
      policyFor(small, options).Statement.map((statement) => statement.Sid);
    expect(sids({})).toEqual(['InvokeModels']);
    expect(sids({ logging: false, tracing: false })).toEqual(['InvokeModels']);
    expect(sids({ tracing: true })).toEqual(['InvokeModels', 'SendTraces']);
    const policy = policyFor(small, { region: 'us-east-1', accountId: '123456789012', logging: true, tracing: true });
    expect(policy.Statement.slice(1)).toEqual([
      {
        Sid: 'DeliverExecutionLogs',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        Resource: ['*'],
      },
      {
        Sid: 'SendTraces',
        Effect: 'Allow',
        Action: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
        ],
        Resource: ['*'],
      },
    ]);
    // The model statement keeps its narrow resource.
    expect(policy.Statement[0]!.Resource).toEqual([
      'arn:aws:bedrock:us-east-1::foundation-model/meta.llama3-8b-instruct-v1:0',
    ]);
  });
});
