/**
 * Where mismatch kinds have been traced, as far as minimal cases have shown them (see issue 11): who would fix what.
 * A kind can have other causes too: this is a hint for routing, not a verdict.
 */
const CAUSES: Array<[pattern: RegExp, cause: string]> = [
  [
    /^intrinsics: over 10 calls|^deploy: .*intrinsic function calls/,
    "compiler: a field goes past AWS's 10 intrinsic calls (boolean check, prefill, `| json`, backslash runs)",
  ],
  [/^compile: .*ASL reserves/, 'core: defineChain accepts keys ending in `.$` that compileChain refuses'],
  [/^deploy: /, 'compiler or emulator: the emulator refuses a definition the compiler emits'],
  [/^placeholder: /, 'accepted (format-object-placeholder): runtime-local refuses what States.Format prints'],
  [/^usage: tokens of a failed attempt/, 'accepted (retried-attempt-tokens)'],
  [/^usage: tokens of a container that failed into its catch/, 'accepted (caught-container-tokens)'],
  [
    /^numbers: /,
    'runtime-local: templates print numbers the JavaScript way; Step Functions (and now the emulator) the Java way',
  ],
  [/^json: /, 'compiler or runtime-local: `| json` orders keys differently'],
  [
    /^control tokens: /,
    'compiler/adapters/runtime-local: chat control tokens in Llama 3 / Mistral prompts are neutralised or refused on ' +
      'one side only',
  ],
  [
    /^stop sequences: /,
    'core or runtime-local: more than 4 stop sequences pass defineChain and fakeModels, Bedrock refuses them',
  ],
  [
    /^(usage differs after: )?requests: maxTokens differs \(undefined vs number\) on an anthropic: model/,
    "compiler: the HTTP Task sends Anthropic's Messages API max_tokens 1024 when the step has none; runtime-local " +
      "sends none (the AI SDK's default applies); the same default on both (or one set in defineChain) closes it",
  ],
  [
    /^(usage differs after: )?whitespace: trailing whitespace .* on an anthropic: model/,
    "runtime-local: an anthropic: invoke's prefill keeps its trailing whitespace, which the compiled HTTP body " +
      'trims (Anthropic refuses a final assistant turn ending in whitespace), as ProviderHttpApi.defaultMaxTokens did ' +
      'for max_tokens',
  ],
  [/^requests: maxTokens differs/, 'compiler or runtime-local: a default maxTokens is sent on one side only'],
  [/^error\.retryable: /, "runtime-sfn: StepFailedError's retryable differs from runtime-local's for the same error"],
  [/^chain output: /, 'runtime-sfn/compiler: a failing chain output is reported differently (step id, streamed text)'],
  [/^error\.stepId: sfn names no step/, 'compiler/runtime-sfn: the failing step id is not carried out of the machine'],
  [
    /^error\.stepId: sfn names another/,
    'unconfirmed: failures of steps that do not run at once, or a race the jittered re-runs did not reorder (a ' +
      'missing handler or knowledge base answers late in them, as on SFN); read the minimal case',
  ],
  [/^usage: a Mistral invoke/, "accepted (mistral-usage): Mistral's InvokeModel answer has no token counts"],
  [/^race: /, 'accepted (concurrent-failures): concurrent failures are reported in whichever order they happen'],
  [/^task input: /, 'emulator: a `null` task payload reaches the handler as `{}` (lambda:invoke Payload)'],
];

/**
 * The cause a mismatch kind is known to come from, if any.
 *
 * @example
 * ```ts
 * likelyCause('intrinsics: over 10 calls in Task ResultSelector.value.$'); // 'compiler: ...'
 * ```
 */
export function likelyCause(kind: string): string | undefined {
  return CAUSES.find(([pattern]) => pattern.test(kind))?.[1];
}
