import { caseToTypeScript } from './case-to-typescript';
import { likelyCause } from './likely-cause';
import type { ClassFinding, FuzzSummary } from './run-fuzz';

/**
 * Where a findings report came from: when, at which commit, with which command.
 *
 * @example
 * ```ts
 * const meta: FindingsMeta = { date: new Date().toISOString(), commit: 'abc1234', command: 'pnpm test:fuzz --seed 1' };
 * ```
 */
export interface FindingsMeta {
  date: string;
  commit: string;
  command: string;
  /** Whether open known differences were tolerated (`false` with `--strict`). */
  tolerant: boolean;
}

function order(a: ClassFinding, b: ClassFinding): number {
  return b.count - a.count || a.kind.localeCompare(b.kind);
}

function section(finding: ClassFinding, number: number, runs: number): string {
  const shown = finding.minimal ?? { ...finding.first, report: undefined };
  const lines = [
    `### ${number}. ${finding.kind}`,
    '',
    `- Runs showing it: ${finding.count} of ${runs}${finding.toleratedBy ? ` (tolerated as \`${finding.toleratedBy}\`)` : ''}`,
    `- Likely cause: ${likelyCause(finding.kind) ?? 'not classified yet'}`,
    `- Replay: \`--seed <seed> --path ${finding.path}\``,
    `- ${finding.minimal ? 'Minimal case (shrunk)' : 'First case (not shrunk)'}: ${shown.mismatch.detail.replace(/\s+/g, ' ').slice(0, 600)}`,
    '',
    '```ts',
    caseToTypeScript(shown.fuzzCase),
    '```',
    '',
  ];
  return lines.join('\n');
}

/**
 * A fuzz run's findings as Markdown: the run's numbers, then one section per mismatch class (untolerated first, most
 * frequent first) with its count, likely cause, what differs and the smallest case as TypeScript.
 *
 * @example
 * ```ts
 * await writeFile('fuzz-findings.md', formatFindings(summary, meta));
 * ```
 */
export function formatFindings(summary: FuzzSummary, meta: FindingsMeta): string {
  const classes = [...summary.classes.values()];
  const open = classes.filter((finding) => !finding.toleratedBy).sort(order);
  const tolerated = classes.filter((finding) => finding.toleratedBy).sort(order);
  const out = [
    '# Differential fuzzer findings',
    '',
    `- Date: ${meta.date}; commit ${meta.commit}`,
    `- Command: \`${meta.command}\``,
    `- Seed ${summary.seed}; ${summary.runs} runs in ${(summary.durationMs / 1000).toFixed(0)} s`,
    `- Agree ${summary.agree}, refused by defineChain ${summary.refused}, tolerated ${summary.tolerated}, mismatched ${summary.mismatched}`,
    `- Runs that ended with an answer on both runtimes: ${summary.succeeded} (the others failed, as scripted or not, on at least one)`,
    `- Known differences tolerated: ${meta.tolerant ? 'all (accepted and open)' : 'accepted ones only (open classes are listed below)'}`,
    `- Largest intrinsic count in a field: ${summary.intrinsicMax}`,
    `- Stray service calls (an execution's work after it returned; 0 means no case saw another's calls): ${summary.strays}`,
    `- Classes: ${open.length} untolerated, ${tolerated.length} tolerated. A run can show several classes; counts are runs.`,
    '',
    '## Summary',
    '',
    '| # | class | runs | likely cause |',
    '|---|---|---|---|',
    ...open.map(
      (finding, index) =>
        `| ${index + 1} | ${finding.kind.replace(/\|/g, '\\|')} | ${finding.count} | ${(likelyCause(finding.kind) ?? 'not classified yet').replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Untolerated classes',
    '',
    ...open.map((finding, index) => section(finding, index + 1, summary.runs)),
  ];
  if (tolerated.length > 0) {
    out.push('## Tolerated classes', '');
    for (const finding of tolerated) {
      out.push(
        `- ${finding.kind}: ${finding.count} runs, as \`${finding.toleratedBy}\` (replay \`--path ${finding.path}\`)`,
      );
    }
    out.push('');
  }
  if (summary.refusals.length > 0) {
    out.push('## Some defineChain refusals (they should read clearly)', '');
    for (const refusal of summary.refusals) out.push(`- ${refusal.replace(/\s+/g, ' ').slice(0, 300)}`);
    out.push('');
  }
  return out.join('\n');
}
