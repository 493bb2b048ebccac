/** A warning raised while compiling: the machine is valid, but something deserves a look. */
export interface CompileWarning {
  stepId: string;
  /** `unbounded-output`, `timeout-ignored`, `policy-ignored`. */
  code: 'unbounded-output' | 'timeout-ignored' | 'policy-ignored';
  message: string;
}

/** Options of `compileChain`. */
export interface CompileOptions {
  /** Lambda function name or ARN per task handler name. Default: the handler name itself. */
  handlers?: { [handler: string]: string };
  /** Called for each warning. Default: warnings are dropped. */
  onWarning?: (warning: CompileWarning) => void;
  /** The machine's `TimeoutSeconds`. Default: none (Express machines stop after 5 minutes anyway). */
  timeoutSeconds?: number;
}
