// Run by cold-import.bench.ts in a fresh `node` process: imports each argument (a package name or a file URL) in
// order and prints, as JSON, how long the imports took and how long since the process started.
const started = performance.now();
for (const specifier of process.argv.slice(2)) await import(specifier);
const done = performance.now();
process.stdout.write(JSON.stringify({ importMs: done - started, sinceStartMs: done }));
