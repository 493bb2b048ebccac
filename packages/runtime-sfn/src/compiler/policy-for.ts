import { type Chain, ChainDefinitionError, parseModelReference, type Step } from '@stepwise/core';
import { type ProviderConnections, resolveConnection } from './provider-connections';

/**
 * Options of {@link policyFor}.
 *
 * @example
 * ```ts
 * const options: PolicyOptions = { region: 'us-east-1', accountId: '123456789012', providers: { openai: { connectionArn } } };
 * ```
 */
export interface PolicyOptions {
  /** AWS region of the models, knowledge bases and functions. Default `*`. */
  region?: string;
  /** AWS account id of the knowledge bases, inference profiles and functions. Default `*`. */
  accountId?: string;
  /** ARN partition. Default `aws`. */
  partition?: string;
  /** Lambda function name or ARN per task handler name, as given to `compileChain`. Default: the handler name. */
  handlers?: { [handler: string]: string };
  /**
   * The EventBridge connection (and endpoint) of each provider the chain's `invoke` steps call through HTTP Tasks,
   * as given to `compileChain`; required for each provider the chain uses.
   */
  providers?: ProviderConnections;
  /** Name of the state machine (the resource of `states:InvokeHTTPEndpoint`). Default: the chain's name. */
  stateMachineName?: string;
  /**
   * The machine logs its executions to CloudWatch Logs (`deployChain`'s `logging` at a level other than `OFF`):
   * grants the log delivery actions Step Functions calls with the role. Default false.
   */
  logging?: boolean;
  /** The machine sends traces to AWS X-Ray (`deployChain`'s `tracing`): grants the X-Ray write actions. Default false. */
  tracing?: boolean;
}

/**
 * One IAM policy statement.
 *
 * @example
 * ```ts
 * const statement: PolicyStatement = { Sid: 'InvokeModels', Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: [arn] };
 * ```
 */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: { [operator: string]: { [key: string]: string | string[] } };
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/**
 * What the role of a machine that logs to CloudWatch Logs needs, as the Step Functions Developer Guide gives it
 * ("Using CloudWatch Logs to log execution history in Step Functions", cw-logs.html, IAM policy for logging): Step
 * Functions sets up the log delivery to the group with the role's credentials when the machine is created or updated
 * (and CloudWatch Logs adds the group's resource policy), so the role needs the log delivery actions and the resource
 * policy actions. These take no resource-level permissions: the guide's policy has `"Resource": "*"`.
 */
const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * What the role of a machine with X-Ray tracing needs, as the Step Functions Developer Guide gives it ("IAM policies
 * for using AWS X-Ray in Step Functions", xray-iam.html): the four X-Ray write and sampling actions, on `"*"`.
 */
const XRAY_ACTIONS = [
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

const PROFILE = /^(us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/;

/**
 * The least-privilege IAM policy for the role of a chain's state machine: `bedrock:InvokeModel` on the foundation
 * models and inference profiles its `invoke` steps use, `bedrock:Retrieve` on its knowledge bases and
 * `lambda:InvokeFunction` on its handlers' functions. For `invoke` steps on other providers' models (HTTP Tasks):
 * `states:InvokeHTTPEndpoint` on the state machine, for `POST` to those endpoints only (`states:HTTPMethod`,
 * `states:HTTPEndpoint` conditions), `events:RetrieveConnectionCredentials` on their EventBridge connections, and
 * `secretsmanager:GetSecretValue` and `DescribeSecret` on the secrets those connections keep
 * (`events!connection/<name>/*`). With `logging`, the CloudWatch Logs delivery actions, and with `tracing`, the X-Ray
 * write actions, both on `"*"` as AWS documents them (those actions take no narrower resource). The `respond` step is
 * not in it: the SFN runtime streams it with its own credentials, after the execution.
 *
 * @example
 * ```ts
 * const policy = policyFor(chain, { region: 'us-east-1', accountId: '123456789012' });
 * await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'stepwise', PolicyDocument: JSON.stringify(policy) }));
 *
 * // For a machine deployed with logging (level other than OFF) and tracing on:
 * policyFor(chain, { region: 'us-east-1', accountId: '123456789012', logging: true, tracing: true });
 * // + { Sid: 'DeliverExecutionLogs', Action: ['logs:CreateLogDelivery', ...], Resource: ['*'] }
 * // + { Sid: 'SendTraces', Action: ['xray:PutTraceSegments', ...], Resource: ['*'] }
 * ```
 */
export function policyFor(chain: Chain, options: PolicyOptions = {}): PolicyDocument {
  const partition = options.partition ?? 'aws';
  const region = options.region ?? '*';
  const account = options.accountId ?? '*';
  const models = new Set<string>();
  const knowledgeBases = new Set<string>();
  const functions = new Set<string>();
  const endpoints = new Set<string>();
  const connections = new Set<string>();
  const secrets = new Set<string>();
  visit(chain.steps, (step) => {
    const provider = step.type === 'invoke' ? parseModelReference(step.model).provider : 'bedrock';
    if (step.type === 'invoke' && provider !== 'bedrock') {
      // An HTTP Task: the endpoint, the connection's credentials and the secret EventBridge keeps them in.
      const resolved = resolveConnection(provider, options.providers);
      if (resolved.missing.length > 0) {
        throw new ChainDefinitionError(
          `Step "${step.id}": model "${step.model}" needs providers.${provider} with its ${resolved.missing.join(' and ')} for the policy.`,
          { stepId: step.id },
        );
      }
      endpoints.add(resolved.endpoint);
      connections.add(resolved.connectionArn);
      const [, arnPartition, arnRegion, arnAccount, connectionName] =
        /^arn:([^:]+):events:([^:]+):([^:]+):connection\/([^/]+)\//.exec(resolved.connectionArn) ?? [];
      secrets.add(
        connectionName === undefined
          ? `arn:${partition}:secretsmanager:${region}:${account}:secret:events!connection/*`
          : `arn:${arnPartition}:secretsmanager:${arnRegion}:${arnAccount}:secret:events!connection/${connectionName}/*`,
      );
    } else if (step.type === 'invoke') {
      const profile = PROFILE.exec(step.model);
      if (profile) {
        // A cross-region inference profile: the profile itself, and the model in every region it routes to.
        models.add(`arn:${partition}:bedrock:${region}:${account}:inference-profile/${step.model}`);
        models.add(`arn:${partition}:bedrock:*::foundation-model/${profile[2]}`);
      } else {
        models.add(`arn:${partition}:bedrock:${region}::foundation-model/${step.model}`);
      }
    } else if (step.type === 'retrieve') {
      knowledgeBases.add(`arn:${partition}:bedrock:${region}:${account}:knowledge-base/${step.knowledgeBaseId}`);
    } else if (step.type === 'task') {
      const fn = options.handlers?.[step.handler] ?? step.handler;
      if (fn.startsWith('arn:')) functions.add(fn);
      else if (/^[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(fn)) {
        functions.add(`arn:${partition}:lambda:${region}:${account}:function:${fn}`);
      } else {
        throw new ChainDefinitionError(`Step "${step.id}": "${fn}" is not a Lambda function name or ARN.`, {
          stepId: step.id,
        });
      }
    }
  });
  const statement: PolicyStatement[] = [];
  const add = (Sid: string, action: string, resources: Set<string>) => {
    if (resources.size > 0) statement.push({ Sid, Effect: 'Allow', Action: [action], Resource: [...resources].sort() });
  };
  add('InvokeModels', 'bedrock:InvokeModel', models);
  add('RetrieveFromKnowledgeBases', 'bedrock:Retrieve', knowledgeBases);
  add('InvokeHandlers', 'lambda:InvokeFunction', functions);
  if (endpoints.size > 0) {
    const machine = `arn:${partition}:states:${region}:${account}:stateMachine:${options.stateMachineName ?? chain.name}`;
    statement.push({
      Sid: 'InvokeHttpEndpoints',
      Effect: 'Allow',
      Action: ['states:InvokeHTTPEndpoint'],
      Resource: [machine],
      Condition: {
        StringEquals: { 'states:HTTPMethod': 'POST' },
        StringLike: { 'states:HTTPEndpoint': [...endpoints].sort() },
      },
    });
    add('RetrieveConnectionCredentials', 'events:RetrieveConnectionCredentials', connections);
    statement.push({
      Sid: 'ReadConnectionSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: [...secrets].sort(),
    });
  }
  if (options.logging) {
    statement.push({
      Sid: 'DeliverExecutionLogs',
      Effect: 'Allow',
      Action: [...LOG_DELIVERY_ACTIONS],
      Resource: ['*'],
    });
  }
  if (options.tracing) {
    statement.push({ Sid: 'SendTraces', Effect: 'Allow', Action: [...XRAY_ACTIONS], Resource: ['*'] });
  }
  return { Version: '2012-10-17', Statement: statement };
}

function visit(steps: Step[], each: (step: Step) => void): void {
  for (const step of steps) {
    each(step);
    if (step.type !== 'respond') {
      if (step.policy?.catch) visit(step.policy.catch.fallback, each);
    }
    switch (step.type) {
      case 'parallel':
        for (const branch of Object.values(step.branches)) visit(branch, each);
        break;
      case 'choose':
        for (const entry of step.cases) visit(entry.steps, each);
        if (step.otherwise) visit(step.otherwise, each);
        break;
      case 'map':
        visit(step.steps, each);
        break;
      case 'split':
        for (const variant of Object.values(step.variants)) visit(variant.steps, each);
        break;
      default:
        break;
    }
  }
}
