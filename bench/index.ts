/**
 * Runs every benchmark in turn: `npm run bench` (compiled by `tsc -p bench/tsconfig.json`
 * into `.bench-out`, run with `node --expose-gc`). `BENCH=throughput,latency` picks some.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connections } from './connections';
import { fold } from './fold';
import { latency } from './latency';
import { throughput } from './throughput';

type Bench = () => Promise<unknown>;

/**
 * The store bench (bench/store.ts, the orders layer's own) is a script that runs when
 * loaded, so it runs in a child process of its own (with a clean heap).
 */
function storeBench(): Bench | undefined {
  const file = path.join(__dirname, 'store.js');
  if (!fs.existsSync(file)) return undefined;
  return () => {
    const run = spawnSync(process.execPath, ['--expose-gc', file], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`bench/store.ts exited with ${run.status ?? run.signal}`);
    return Promise.resolve();
  };
}

async function main(): Promise<void> {
  const benches: [string, Bench | undefined][] = [
    ['throughput', throughput],
    ['fold', fold],
    ['store', storeBench()],
    ['connections', connections],
    ['latency', latency],
  ];
  const only = process.env['BENCH']?.split(',');
  for (const [name, bench] of benches) {
    if (only && !only.includes(name)) continue;
    if (bench === undefined) {
      console.log(`\n(${name}: bench/${name}.ts is not there yet)`);
      continue;
    }
    if (name === 'store') console.log('\n## store: cost per update with 1k, 10k, 100k open orders\n');
    await bench();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
