import type { ProviderConnections } from './provider-connections';

/**
 * A warning raised while compiling: the machine is valid, but something deserves a look.
 *
 * Codes:
 * - `unbounded-output`: a `map` over a path the caller sizes (`input...`, `item...`); its output grows with the
 *   array, and Step Functions fails a state over 256 KiB with `States.DataLimitExceeded`, which nothing catches;
 * - `large-retrieval`: a `retrieve` step with `topK` above 20; its results stay in the state and can take a good part
 *   of the 256 KiB;
 * - `large-messages`: a `respond` step whose `messages.from` reads the caller's input; the whole array goes into the
 *   execution output (256 KiB at most), whatever `last` keeps;
 * - `timeout-ignored`: a timeout on a `parallel`, `map`, `choose` or `split`, which ASL cannot time (runtime-local
 *   only);
 * - `policy-ignored`: a policy on a `transform`, which cannot fail in ASL;
 * - `connection-missing`: an `invoke` on another provider's model (`openai:...`) whose EventBridge connection (or,
 *   for `compatible`, endpoint) `providers` does not give; the definition holds a placeholder that cannot run, and
 *   `deployChain` refuses it.
 *
 * @example
 * ```ts
 * compileChain(chain, { onWarning: (warning: CompileWarning) => console.warn(`${warning.code}: ${warning.message}`) });
 * ```
 */
export interface CompileWarning {
  stepId: string;
  code:
    | 'unbounded-output'
    | 'large-retrieval'
    | 'large-messages'
    | 'timeout-ignored'
    | 'policy-ignored'
    | 'connection-missing';
  message: string;
}

/**
 * Options of `compileChain`.
 *
 * @example
 * ```ts
 * const options: CompileOptions = { handlers: { createOffer: 'arn:aws:lambda:us-east-1:123456789012:function:offer' } };
 * ```
 */
export interface CompileOptions {
  /** Lambda function name or ARN per task handler name. Default: the handler name itself. */
  handlers?: { [handler: string]: string };
  /** Called for each warning. Default: warnings are dropped. */
  onWarning?: (warning: CompileWarning) => void;
  /** The machine's `TimeoutSeconds`. Default: none (Express machines stop after 5 minutes anyway). */
  timeoutSeconds?: number;
  /**
   * The EventBridge connection (and endpoint) of each provider whose models the chain's `invoke` steps name
   * (`openai:gpt-4o-mini`): those steps compile to HTTP Tasks against the provider's API.
   */
  providers?: ProviderConnections;
}
