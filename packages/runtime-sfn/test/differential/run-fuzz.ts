import fc from 'fast-check';
import type { Mismatch } from './compare-observations';
import { type CaseReport, type DifferentialHarness, startDifferentialHarness } from './differential-harness';
import type { FuzzCase } from './fuzz-case';
import { fuzzCaseArbitrary } from './fuzz-case-arbitrary';
import type { KnownDifference } from './known-differences';

/**
 * Options of {@link runFuzz}.
 *
 * @example
 * ```ts
 * const options: FuzzOptions = { seed: 42, runs: 100, shrink: false };
 * ```
 */
export interface FuzzOptions {
  seed: number;
  /** Cases to generate. */
  runs: number;
  /** Stop generating after this many seconds (shrinking comes after). */
  seconds?: number;
  /** Replay from this fast-check path (`counterexamplePath`) instead of generating from the start. */
  path?: string;
  /** Shrink one case of each untolerated class to a minimal one. Default false. */
  shrink?: boolean;
  /** Evaluations a class's shrink may use. Default 200. */
  shrinkBudget?: number;
  /** Seconds a class's shrink may use. Default 45. */
  shrinkSeconds?: number;
  /** Tolerate these instead of `knownDifferences`. */
  differences?: readonly KnownDifference[];
  /** Called after each generated case. */
  onCase?: (index: number, fuzzCase: FuzzCase, report: CaseReport) => void;
  /** Called when a shrink starts and ends. */
  onShrink?: (kind: string, state: 'start' | 'end', evaluations: number) => void;
}

/**
 * One class of mismatch in a fuzz run: how many cases showed it, the first such case (and its fast-check path, to
 * replay it), and after shrinking the smallest case found that still shows it.
 *
 * @example
 * ```ts
 * for (const finding of summary.classes.values()) console.log(finding.kind, finding.count);
 * ```
 */
export interface ClassFinding {
  kind: string;
  count: number;
  /** Known difference that tolerates it, if any. */
  toleratedBy?: string;
  path: string;
  first: { fuzzCase: FuzzCase; mismatch: Mismatch };
  minimal?: { fuzzCase: FuzzCase; mismatch: Mismatch; report: CaseReport };
}

/**
 * What a fuzz run saw.
 *
 * @example
 * ```ts
 * const summary: FuzzSummary = await runFuzz({ seed: 1, runs: 10 });
 * ```
 */
export interface FuzzSummary {
  seed: number;
  runs: number;
  agree: number;
  refused: number;
  tolerated: number;
  mismatched: number;
  /** Runs that ended with an answer on both runtimes (the rest failed on at least one, or were refused). */
  succeeded: number;
  /** Largest intrinsic count in any field of any compiled case. */
  intrinsicMax: number;
  /** By mismatch kind; untolerated and tolerated classes both. */
  classes: Map<string, ClassFinding>;
  /** A few `defineChain` refusals, to see that they are clear. */
  refusals: string[];
  /** Calls that reached the emulator's fakes between cases (see `DifferentialHarness.strays`). */
  strays: number;
  durationMs: number;
}

async function shrinkClass(
  harness: DifferentialHarness,
  finding: ClassFinding,
  seed: number,
  budget: { evaluations: number; seconds: number },
): Promise<ClassFinding['minimal']> {
  let evaluations = 0;
  const deadline = Date.now() + budget.seconds * 1000;
  let best: ClassFinding['minimal'];
  const property = fc.asyncProperty(fuzzCaseArbitrary, async (fuzzCase) => {
    // Over budget: every candidate "passes", so fast-check ends with the smallest failing case so far.
    if (evaluations >= budget.evaluations || Date.now() > deadline) return true;
    evaluations += 1;
    const report = await harness.check(fuzzCase);
    const mismatch = report.untolerated.find((m) => m.kind === finding.kind);
    if (!mismatch) return true;
    best = { fuzzCase, mismatch, report };
    return false;
  });
  await fc.check(property, { seed, path: finding.path, numRuns: 1 });
  return best;
}

/**
 * Runs the differential fuzzer: generates cases with fast-check from `seed`, checks each on both runtimes through
 * one emulator, groups mismatches by kind and (with `shrink`) shrinks one case of each untolerated kind.
 *
 * @example
 * ```ts
 * const summary = await runFuzz({ seed: 42, runs: 200, shrink: true });
 * console.log(summary.mismatched, [...summary.classes.keys()]);
 * ```
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const started = Date.now();
  const harness = await startDifferentialHarness(options.differences ? { differences: options.differences } : {});
  const summary: FuzzSummary = {
    seed: options.seed,
    runs: 0,
    agree: 0,
    refused: 0,
    tolerated: 0,
    mismatched: 0,
    succeeded: 0,
    intrinsicMax: 0,
    classes: new Map(),
    refusals: [],
    strays: 0,
    durationMs: 0,
  };
  const firstIndex = options.path === undefined ? 0 : Number(options.path.split(':')[0]);
  try {
    let index = firstIndex;
    // A time limit ends fc.check without waiting for the case in flight: it is awaited (not counted) before closing.
    let generating = true;
    let inFlight: Promise<CaseReport> | undefined;
    const property = fc.asyncProperty(fuzzCaseArbitrary, async (fuzzCase) => {
      const at = index++;
      let report: CaseReport;
      try {
        inFlight = harness.check(fuzzCase);
        report = await inFlight;
        if (!generating) return true;
      } catch (error) {
        // A bug of the fuzzer itself: shown as a class of its own rather than as a property failure to shrink.
        const mismatch = {
          kind: `fuzzer: the harness threw ${(error as Error)?.name ?? typeof error}`,
          detail: String((error as Error)?.stack ?? error),
        };
        report = {
          status: 'mismatch',
          mismatches: [mismatch],
          untolerated: [mismatch],
          tolerated: [],
          intrinsicMax: 0,
        };
      }
      summary.runs += 1;
      summary.intrinsicMax = Math.max(summary.intrinsicMax, report.intrinsicMax);
      if (report.local?.end && report.sfn?.end) summary.succeeded += 1;
      if (report.status === 'agree') summary.agree += 1;
      else if (report.status === 'refused') {
        summary.refused += 1;
        if (summary.refusals.length < 8 && report.refusal) summary.refusals.push(report.refusal);
      } else if (report.status === 'tolerated') summary.tolerated += 1;
      else summary.mismatched += 1;
      const kinds = new Set<string>();
      const record = (mismatch: Mismatch, toleratedBy?: string) => {
        if (kinds.has(mismatch.kind)) return;
        kinds.add(mismatch.kind);
        const finding = summary.classes.get(mismatch.kind);
        if (finding) finding.count += 1;
        else {
          summary.classes.set(mismatch.kind, {
            kind: mismatch.kind,
            count: 1,
            ...(toleratedBy ? { toleratedBy } : {}),
            path: String(at),
            first: { fuzzCase, mismatch },
          });
        }
      };
      for (const mismatch of report.untolerated) record(mismatch);
      for (const { mismatch, difference } of report.tolerated) record(mismatch, difference);
      options.onCase?.(at, fuzzCase, report);
      return true;
    });
    await fc.check(property, {
      seed: options.seed,
      numRuns: options.runs,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.seconds !== undefined ? { plugins: [fc.interruptAfterTimeLimit(options.seconds * 1000)] } : {}),
    });
    generating = false;
    await inFlight?.catch(() => undefined);
    if (options.shrink) {
      for (const finding of summary.classes.values()) {
        if (finding.toleratedBy) continue;
        options.onShrink?.(finding.kind, 'start', 0);
        const minimal = await shrinkClass(harness, finding, options.seed, {
          evaluations: options.shrinkBudget ?? 200,
          seconds: options.shrinkSeconds ?? 45,
        });
        if (minimal) finding.minimal = minimal;
        options.onShrink?.(finding.kind, 'end', 0);
      }
    }
  } finally {
    summary.strays = harness.strays;
    await harness.close();
  }
  summary.durationMs = Date.now() - started;
  return summary;
}
