import { canonicalJson } from './canonical-json';

/** A number as Java prints it (`1.0E-7`, `1.0E21`, `4.195E-321`), which is how Step Functions renders some numbers. */
const JAVA_NUMBER = /-?\d+(?:\.\d+)?E-?\d+/g;

/** Chat control tokens of Llama 3 and Mistral prompts, possibly broken up by a space. */
const CONTROL_TOKEN = /<\s?\|[a-z_]+\|\s?>|\[\/?INST\]|<\/?s>/;

/** Rewrites Java-printed numbers the JavaScript way (`1.0E-7` -> `1e-7`). */
function javaNumbersAsJavaScript(text: string): string {
  return text.replace(JAVA_NUMBER, (number) => String(Number(number)));
}

/** Whether two strings hold the same JSON (from the first `{`/`[` to the last `}`/`]`) written in another key order. */
function sameJsonOtherOrder(a: string, b: string): boolean {
  const slice = (text: string) => {
    const start = text.search(/[{[]/);
    const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    return start === -1 || end < start
      ? undefined
      : [text.slice(0, start), text.slice(start, end + 1), text.slice(end + 1)];
  };
  const [x, y] = [slice(a), slice(b)];
  if (!x || !y || x[0] !== y[0] || x[2] !== y[2]) return false;
  try {
    return canonicalJson(JSON.parse(x[1]!)) === canonicalJson(JSON.parse(y[1]!));
  } catch {
    return false;
  }
}

/**
 * Why two strings that should be equal differ, when it is a known way of rendering differently: numbers printed the
 * Java way on Step Functions, trailing whitespace trimmed, JSON with its keys in another order, chat control tokens
 * sent differently.
 * `undefined` when none explains it.
 *
 * @example
 * ```ts
 * explainDifference('n=1e-7', 'n=1.0E-7'); // 'numbers: SFN renders a number the Java way (1.0E-7), runtime-local the JavaScript way (1e-7)'
 * ```
 */
export function explainDifference(local: string, sfn: string): string | undefined {
  if (local !== sfn && javaNumbersAsJavaScript(local) === javaNumbersAsJavaScript(sfn)) {
    return 'numbers: SFN renders a number the Java way (1.0E-7), runtime-local the JavaScript way (1e-7)';
  }
  if (local !== sfn && local.trimEnd() === sfn && sfn.trimEnd() === sfn) {
    return 'whitespace: trailing whitespace sent by runtime-local is trimmed on SFN (a prefill, as Anthropic requires)';
  }
  if (sameJsonOtherOrder(local, sfn)) return 'json: `| json` renders object keys in another order on each runtime';
  const bare = (text: string) => text.replace(/[\s\u200b-\u200d\u2060]/g, '');
  if (CONTROL_TOKEN.test(local + sfn) && bare(local) === bare(sfn)) {
    return 'control tokens: the runtimes send chat control tokens in a prompt differently';
  }
  return undefined;
}
