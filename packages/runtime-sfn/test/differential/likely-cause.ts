/**
 * Causes seen behind mismatch kinds, as far as a minimal case has shown them (see issue 11). A kind can have other
 * causes too: this is a hint for routing, not a verdict.
 */
const CAUSES: Array<[pattern: RegExp, cause: string]> = [
  [
    /^intrinsics: over 10 calls/,
    "compiler: a field goes past AWS's 10 intrinsic calls (boolean invoke check, prefill, `| json`, backslash runs)",
  ],
  [
    /^deploy: .*intrinsic function calls/,
    'compiler: the same intrinsic limit, as the emulator now enforces it at CreateStateMachine',
  ],
  [/^compile: .*ASL reserves/, 'core: defineChain accepts keys ending in `.$` that compileChain refuses'],
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
