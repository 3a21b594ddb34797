/**
 * Runs every benchmark in turn: `npm run bench` (compiled by `tsc -p bench/tsconfig.json`
 * into `.bench-out`, run with `node --expose-gc`). `BENCH=throughput,latency` picks some.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connections } from './connections';
import { latency } from './latency';
import { throughput } from './throughput';

type Bench = () => Promise<unknown>;

/** The store bench lives in bench/store.ts (the orders layer's own); run it when it exports one. */
function storeBench(): Bench | undefined {
  const file = path.join(__dirname, 'store.js');
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const fn = mod['store'] ?? mod['storeBench'] ?? mod['main'] ?? mod['default'];
  return typeof fn === 'function' ? (fn as Bench) : undefined;
}

async function main(): Promise<void> {
  const benches: [string, Bench | undefined][] = [
    ['throughput', throughput],
    ['store', storeBench()],
    ['connections', connections],
    ['latency', latency],
  ];
  const only = process.env['BENCH']?.split(',');
  for (const [name, bench] of benches) {
    if (only && !only.includes(name)) continue;
    if (bench === undefined) {
      console.log(`\n(${name}: bench/${name}.ts exports no function; run it on its own)`);
      continue;
    }
    await bench();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
