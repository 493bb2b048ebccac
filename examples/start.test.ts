import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs `pnpm start`'s script (examples/start.ts) as its own process. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=stepwise-source', 'examples/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk) => {
    output.stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output.stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

describe('pnpm start (examples/start.ts)', () => {
  it('with the port taken, prints one line naming the port and PORT, and exits 1 without a stack', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    let child: ChildProcess | undefined;
    try {
      const run = start({ PORT: String(port), HOST: '127.0.0.1' });
      child = run.child;
      expect(await run.exited).toBe(1);
      expect(run.output.stderr).toBe(`Port ${port} is in use: set PORT to another port (PORT=3001 pnpm start).\n`);
      expect(run.output.stdout).toBe('');
    } finally {
      child?.kill('SIGKILL');
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('says in its banner that error details are shown to clients', async () => {
    const run = start({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    try {
      while (!run.output.stdout.includes('Ctrl-C')) {
        if (run.child.exitCode !== null) throw new Error(run.output.stderr);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(run.output.stdout).toContain('Error details are shown to clients (exposeErrorDetails: true)');
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });
});
