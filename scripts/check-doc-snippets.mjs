// Type-checks every ```ts block of README.md and docs/*.md against the sources, the way a
// user would write it: `indodax-pws` and its subpaths resolve to lib/, each block is
// its own module, and the names a block uses without declaring them (a `client`, a
// `scheduler`, ...) come from one shared prelude: scripts/doc-snippets-prelude.d.ts.
// Errors are reported at the Markdown line. A block fenced as ```ts skip-check is skipped
// (say why next to it). Usage: node scripts/check-doc-snippets.mjs [files...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [
        'README.md',
        ...readdirSync(join(root, 'docs'))
          .filter((f) => f.endsWith('.md'))
          .map((f) => `docs/${f}`),
      ];

// Inside the repository, so `rxjs`, `ws`, ... resolve from its node_modules.
const dir = mkdtempSync(join(root, '.doc-snippets-'));
const origin = new Map(); // snippet file → { md, firstLine }
let blocks = 0;
let skipped = 0;
for (const md of files) {
  const lines = readFileSync(join(root, md), 'utf8').split('\n');
  let open; // { info, start, body }
  // A block of only imports ("The imports, from the package:") heads the page's later blocks.
  let shared = [];
  lines.forEach((line, i) => {
    if (open === undefined) {
      const m = /^\s*```(ts|typescript)\b(.*)$/.exec(line);
      if (m) open = { info: m[2].trim(), start: i + 2, body: [] };
      return;
    }
    if (/^\s*```\s*$/.test(line)) {
      const importsOnly = open.body.every((l) => /^\s*(import\b.*|\/\/.*)?$/.test(l));
      if (open.info.includes('skip-check')) skipped += 1;
      else {
        blocks += 1;
        const name = `${md.replace(/[^a-z0-9]+/gi, '_')}_${open.start}.ts`;
        const head = importsOnly ? [] : shared;
        // `export {}` makes every block a module: its names do not collide with others'.
        writeFileSync(join(dir, name), `${[...head, ...open.body].join('\n')}\nexport {};\n`);
        origin.set(name, { md, firstLine: open.start - head.length });
      }
      if (importsOnly) shared = [...shared, ...open.body];
      open = undefined;
      return;
    }
    open.body.push(line);
  });
}

mkdirSync(join(dir, 'types'), { recursive: true });
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'ESNext',
        moduleResolution: 'bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        isolatedModules: false,
        allowImportingTsExtensions: false,
        types: ['node', 'jest'],
        typeRoots: [join(root, 'node_modules', '@types')],
        paths: {
          'indodax-pws': [join(root, 'lib', 'index.ts')],
          'indodax-pws/testing': [join(root, 'lib', 'testing', 'index.ts')],
          'indodax-pws/bus': [join(root, 'lib', 'bus', 'index.ts')],
          'indodax-pws/decimal': [join(root, 'lib', 'decimal.ts')],
        },
      },
      files: [
        join(root, 'scripts', 'doc-snippets-prelude.d.ts'),
        ...[...origin.keys()].map((f) => join(dir, f)),
      ],
    },
    null,
    2,
  ),
);

let output = '';
let failed = false;
try {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
} catch (e) {
  failed = true;
  output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
}
let errors = 0;
for (const line of output.split('\n')) {
  if (line.trim() === '') continue;
  const m = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line);
  const name = m ? m[1].split(/[\\/]/).pop() : undefined;
  const at = name ? origin.get(name) : undefined;
  if (m && at) {
    errors += 1;
    console.error(`${at.md}:${at.firstLine + Number(m[2]) - 1}:${m[3]} ${m[4]}`);
  } else {
    if (/error TS/.test(line)) errors += 1;
    console.error(line.replace(dir, '<snippets>'));
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(
  `check-doc-snippets: ${blocks} blocks in ${files.length} files, ${skipped} skipped, ${errors} errors`,
);
process.exit(failed ? 1 : 0);
