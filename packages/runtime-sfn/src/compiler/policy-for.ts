import { type Chain, ChainDefinitionError, type Step } from '@stepwise/core';

/** Options of {@link policyFor}. */
export interface PolicyOptions {
  /** AWS region of the models, knowledge bases and functions. Default `*`. */
  region?: string;
  /** AWS account id of the knowledge bases, inference profiles and functions. Default `*`. */
  accountId?: string;
  /** ARN partition. Default `aws`. */
  partition?: string;
  /** Lambda function name or ARN per task handler name, as given to `compileChain`. Default: the handler name. */
  handlers?: { [handler: string]: string };
}

/** One IAM policy statement. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

/** An IAM policy document. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

const PROFILE = /^(us|eu|apac|us-gov|ca|jp|au|global)\.(.+)$/;

/**
 * The least-privilege IAM policy for the role of a chain's state machine: `bedrock:InvokeModel` on the foundation
 * models and inference profiles its `invoke` steps use, `bedrock:Retrieve` on its knowledge bases and
 * `lambda:InvokeFunction` on its handlers' functions. The `respond` step is not in it: the SFN runtime streams it
 * with its own credentials, after the execution.
 *
 * @example
 * ```ts
 * const policy = policyFor(chain, { region: 'us-east-1', accountId: '123456789012' });
 * await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'stepwise', PolicyDocument: JSON.stringify(policy) }));
 * ```
 */
export function policyFor(chain: Chain, options: PolicyOptions = {}): PolicyDocument {
  const partition = options.partition ?? 'aws';
  const region = options.region ?? '*';
  const account = options.accountId ?? '*';
  const models = new Set<string>();
  const knowledgeBases = new Set<string>();
  const functions = new Set<string>();
  visit(chain.steps, (step) => {
    if (step.type === 'invoke') {
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
