/**
 * Shared helpers of the benchmarks: machine info, medians, percentiles, a printed table
 * and `bench/results/<name>.json`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The machine a result came from. */
export function machine(): Record<string, string | number> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** The median of `values` (the lower middle one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** The `p`-th percentile (0..100, nearest rank) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Prints `rows` as an aligned table under a title. */
export function printTable(title: string, rows: readonly Record<string, string | number>[]): void {
  console.log(`\n## ${title}\n`);
  const first = rows[0];
  if (first === undefined) return;
  const keys = Object.keys(first);
  const cell = (v: string | number | undefined): string =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v ?? '');
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (values: string[]): string =>
    `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(keys));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(keys.map((k) => cell(row[k]))));
}

/** Writes `bench/results/<name>.json` (relative to the repository, also when run from `.bench-out`). */
export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = path.resolve(__dirname, '..', '..', 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ name, machine: machine(), ...result }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Heap after a full collection (needs `node --expose-gc`; without it, the heap as it is). */
export function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** How many handles keep the process alive (sockets, timers, servers). */
export function activeHandles(): number {
  const p = process as unknown as { _getActiveHandles?: () => unknown[] };
  return p._getActiveHandles?.().length ?? 0;
}

/** CPU seconds (user + system) a process has used so far, from `/proc` (Linux; NaN elsewhere). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return Number.NaN;
  }
}

/** The pid of the process whose command line holds every one of `parts` (Linux; undefined elsewhere). */
export function pidOf(...parts: string[]): number | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone while looking
    }
    if (parts.every((p) => args.some((a) => a === p || a.endsWith(`/${p}`)))) return Number(entry);
  }
  return undefined;
}
