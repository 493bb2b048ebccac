// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation `${...}` placeholders, not template literals.
import { type Chain, isProviderModel, type Step } from '@stepwise/core';
import { chains } from '@stepwise/examples';
import { compileChain, type ProviderConnections, policyFor } from '@stepwise/runtime-sfn';

/** A task handler deployed as its own Lambda function. */
export interface DeployedHandler {
  /** The handler name the chains use. */
  handler: string;
  /** Its logical id in the template. */
  logicalId: string;
}

/** A chain deployed as a state machine. */
export interface DeployedChain {
  chain: Chain;
  /** Logical id prefix: `<Prefix>StateMachine`, `<Prefix>Role`. */
  logicalId: string;
}

/** The handlers of the example chains, each a Lambda function of the stack (code: `handlers.ts`). */
export const deployedHandlers: DeployedHandler[] = [
  { handler: 'createRetentionOffer', logicalId: 'CreateRetentionOfferFunction' },
  { handler: 'orderApi', logicalId: 'OrderApiFunction' },
];

/**
 * The template parameters of the providers the chains call through HTTP Tasks (decision 0007): the EventBridge
 * connection of each (API key authorization), and the endpoint of the OpenAI-compatible one. Left empty, the chains
 * that need them are not deployed (the template's `DeployProviderChains` condition).
 */
export const providerParameters = {
  openai: { connectionArn: 'OpenAiConnectionArn' },
  compatible: { connectionArn: 'CompatibleConnectionArn', endpoint: 'CompatibleEndpoint' },
} as const;

/**
 * The provider connections as CloudFormation `${Parameter}` placeholders, filled by the state machine's
 * `DefinitionSubstitutions` and the role policy's `!Sub`.
 *
 * @example
 * ```ts
 * compileChain(anyProvider, { providers: providerPlaceholders() }); // ConnectionArn: '${OpenAiConnectionArn}'
 * ```
 */
export function providerPlaceholders(): ProviderConnections {
  return {
    openai: { connectionArn: `\${${providerParameters.openai.connectionArn}}` },
    compatible: {
      connectionArn: `\${${providerParameters.compatible.connectionArn}}`,
      endpoint: `\${${providerParameters.compatible.endpoint}}`,
    },
  };
}

/**
 * Whether a chain calls models of other providers than Bedrock (and so needs the provider parameters).
 *
 * @example
 * ```ts
 * usesProviders(anyProvider); // true
 * ```
 */
export function usesProviders(chain: Chain): boolean {
  const visit = (steps: Step[]): boolean =>
    steps.some((step) => {
      if ((step.type === 'invoke' || step.type === 'respond') && isProviderModel(step.model)) return true;
      const nested: Step[][] = [];
      if (step.type === 'parallel') nested.push(...Object.values(step.branches));
      if (step.type === 'choose') nested.push(...step.cases.map((entry) => entry.steps), step.otherwise ?? []);
      if (step.type === 'map') nested.push(step.steps);
      if (step.type === 'split') nested.push(...Object.values(step.variants).map((variant) => variant.steps));
      if (step.type !== 'respond' && step.policy?.catch) nested.push(step.policy.catch.fallback);
      return nested.some(visit);
    });
  return visit(chain.steps);
}

/** Every example chain, with the logical ids of its state machine and role. */
export const deployedChains: DeployedChain[] = chains.map((chain) => ({
  chain,
  logicalId: chain.name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(''),
}));

/**
 * How the handler names appear in the deployed definitions: `${<LogicalId>Arn}` placeholders, filled by the state
 * machine's `DefinitionSubstitutions` with the functions' ARNs.
 *
 * @example
 * ```ts
 * compileChain(router, { handlers: handlerPlaceholders() }); // FunctionName: '${CreateRetentionOfferFunctionArn}'
 * ```
 */
export function handlerPlaceholders(): Record<string, string> {
  return Object.fromEntries(deployedHandlers.map(({ handler, logicalId }) => [handler, `\${${logicalId}Arn}`]));
}

/**
 * The state machine definition of a chain as deployed: the compiled ASL (the golden file), with handler names
 * replaced by {@link handlerPlaceholders}.
 *
 * @example
 * ```ts
 * const definition = deployedDefinition(router);
 * ```
 */
export function deployedDefinition(chain: Chain): ReturnType<typeof compileChain> {
  return compileChain(chain, { handlers: handlerPlaceholders(), providers: providerPlaceholders() });
}

/**
 * The least-privilege policy of a chain's role, with `${AWS::Region}`, `${AWS::AccountId}` and the handler
 * functions' ARNs left for `!Sub`; with `observability`, what execution logs and X-Ray tracing need too.
 *
 * @example
 * ```ts
 * const policy = deployedPolicy(router); // Resource: ['arn:aws:lambda:${AWS::Region}:...:function:${CreateRetentionOfferFunction}']
 * ```
 */
export function deployedPolicy(
  chain: Chain,
  observability: { logging?: boolean; tracing?: boolean } = {},
): ReturnType<typeof policyFor> {
  const handlers = Object.fromEntries(
    deployedHandlers.map(({ handler, logicalId }) => [
      handler,
      `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${${logicalId}}`,
    ]),
  );
  return policyFor(chain, {
    region: '${AWS::Region}',
    accountId: '${AWS::AccountId}',
    handlers,
    providers: providerPlaceholders(),
    stateMachineName: `\${AWS::StackName}-${chain.name}`,
    ...observability,
  });
}

/**
 * The statements `policyFor` adds for a machine that logs to CloudWatch Logs (`logging`) and one with X-Ray tracing
 * (`tracing`), for the role policies the template attaches under its `LogExecutions` and `TraceExecutions` conditions.
 *
 * @example
 * ```ts
 * observabilityStatements(router).logging; // [{ Sid: 'DeliverExecutionLogs', Action: ['logs:CreateLogDelivery', ...], Resource: ['*'] }]
 * ```
 */
export function observabilityStatements(chain: Chain): {
  logging: ReturnType<typeof policyFor>['Statement'];
  tracing: ReturnType<typeof policyFor>['Statement'];
} {
  const base = new Set(deployedPolicy(chain).Statement.map((statement) => statement.Sid));
  const added = (observability: { logging?: boolean; tracing?: boolean }) =>
    deployedPolicy(chain, observability).Statement.filter((statement) => !base.has(statement.Sid));
  return { logging: added({ logging: true }), tracing: added({ tracing: true }) };
}

/**
 * The Bedrock models of a chain's `respond` step, which the server streams itself (ConverseStream) and so needs
 * `bedrock:InvokeModelWithResponseStream` on (another provider's model streams with its API key instead).
 *
 * @example
 * ```ts
 * respondModels(router); // ['anthropic.claude-3-5-sonnet-20240620-v1:0']
 * ```
 */
export function respondModels(chain: Chain): string[] {
  return chain.steps
    .filter((step: Step) => step.type === 'respond')
    .map((step) => (step as { model: string }).model)
    .filter((model) => !isProviderModel(model));
}
