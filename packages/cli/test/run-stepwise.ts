import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: the CLI is spawned there, as `pnpm stepwise` runs it. */
export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** What a spawned `stepwise` printed and how it exited. */
export interface StepwiseRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without AWS settings (and without the instance metadata service), for hermetic runs. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('STEPWISE_')) env[key] = value;
  }
  return {
    ...env,
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/stepwise-test/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/stepwise-test/credentials',
    ...extra,
  };
}

/**
 * Spawns the `stepwise` command from source (tsx, the workspace's `stepwise-source` condition) in the repository root.
 */
export function runStepwise(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<StepwiseRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=stepwise-source', '--import', 'tsx', bin, ...args],
      { cwd: repoRoot, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A long-running `stepwise` command (serve, emulate) in a child process. */
export interface SpawnedStepwise {
  /** Resolves with the first match of `pattern` in stdout (rejects when the process exits first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns a long-running `stepwise` command from source in the repository root. */
export function spawnStepwise(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): SpawnedStepwise {
  const child = spawn(process.execPath, ['--conditions=stepwise-source', '--import', 'tsx', bin, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = stdout.match(pattern);
          if (match) {
            child.stdout.off('data', check);
            resolve(match);
          }
        };
        child.stdout.on('data', check);
        check();
        void exited.then((code) => reject(new Error(`stepwise exited with ${code}: ${stderr || stdout}`)));
      });
    },
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
