// Packs the package as `npm publish` would (prepack builds dist) and checks what a user
// gets: the entry points of every export and of the bin, the LICENSE, no docs/api, no
// source maps pointing at unshipped sources, no tests, and a budget for the tarball.
// Usage: node scripts/check-pack.mjs   (exit 1 with the reasons when a check fails)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const BUDGET_PACKED_BYTES = 400_000;

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const out = execFileSync('npm', ['pack', '--dry-run', '--json'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 1024 * 1024,
});
// Lifecycle output (prepack) may come before the JSON report.
const start = out.search(/^\[/m);
if (start < 0) {
  console.error(out);
  console.error('check-pack: npm pack printed no JSON report');
  process.exit(1);
}
const [report] = JSON.parse(out.slice(start));
const files = new Set(report.files.map((f) => f.path));

const strip = (p) => p.replace(/^\.\//, '');
const required = new Set(['package.json', 'README.md', 'LICENSE']);
for (const [name, entry] of Object.entries(pkg.exports ?? {})) {
  if (typeof entry === 'string') required.add(strip(entry));
  else for (const target of Object.values(entry)) required.add(strip(target));
  if (name === '.' && pkg.main) required.add(strip(pkg.main));
}
for (const bin of Object.values(typeof pkg.bin === 'string' ? { x: pkg.bin } : (pkg.bin ?? {}))) {
  required.add(strip(bin));
}

const problems = [];
for (const file of required) if (!files.has(file)) problems.push(`missing ${file}`);
const forbidden = [
  [/^docs\/api\//, 'generated API pages (docs/api)'],
  [/\.map$/, 'a source map (its sources are not shipped)'],
  [/^(lib|spec|bench|scripts|\.ci)\//, 'a source, test or CI file'],
  [/\.tgz$/, 'a tarball'],
];
for (const file of files) {
  for (const [pattern, what] of forbidden) if (pattern.test(file)) problems.push(`${file}: ${what}`);
}
if (report.size > BUDGET_PACKED_BYTES) {
  problems.push(`packed size ${report.size} B is over the budget of ${BUDGET_PACKED_BYTES} B`);
}
for (const bin of Object.values(pkg.bin ?? {})) {
  const text = readFileSync(bin, 'utf8');
  if (!text.startsWith('#!/usr/bin/env node')) problems.push(`${bin} does not start with a node shebang`);
}

// The real tarball, unpacked inside the repository (so its peers resolve from node_modules):
// every entry point loads, and the bin prints the version.
let loaded = 0;
if (problems.length === 0) {
  const dir = mkdtempSync(resolve('.pack-check-'));
  try {
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { stdio: 'ignore' });
    execFileSync('tar', ['xzf', join(dir, report.filename), '-C', dir]);
    const unpacked = join(dir, 'package');
    for (const file of required) {
      if (!file.endsWith('.js')) continue;
      try {
        execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(unpacked, file))})`], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        loaded += 1;
      } catch (e) {
        problems.push(`${file} does not load from the tarball: ${String(e.stderr).split('\n')[0]}`);
      }
    }
    for (const bin of Object.values(pkg.bin ?? {})) {
      const version = execFileSync(process.execPath, [join(unpacked, bin), '--version'], {
        encoding: 'utf8',
      }).trim();
      if (version !== pkg.version) problems.push(`${bin} --version printed "${version}", not ${pkg.version}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `check-pack: ${report.entryCount} files, ${(report.size / 1000).toFixed(1)} kB packed ` +
    `(budget ${BUDGET_PACKED_BYTES / 1000} kB), ${(report.unpackedSize / 1000).toFixed(1)} kB unpacked; ` +
    `${loaded} entry points load from the tarball`,
);
for (const p of problems) console.error(`check-pack: ${p}`);
process.exit(problems.length === 0 ? 0 : 1);
