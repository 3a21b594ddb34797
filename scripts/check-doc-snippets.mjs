// Type-checks every ```ts block of README.md and docs/*.md against the sources, the way a
// user would write it: `indodax-pws` and its subpaths resolve to lib/, each block is
// its own module, and the names a block uses without declaring them (a `client`, a
// `scheduler`, ...) come from one shared prelude: scripts/doc-snippets-prelude.d.ts.
// Errors are reported at the Markdown line. A block fenced as ```ts skip-check is skipped
// (say why next to it). Usage: node scripts/check-doc-snippets.mjs [files...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docFiles, extractSnippets, locate, writeSnippets } from './doc-snippets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = process.argv.length > 2 ? process.argv.slice(2) : docFiles(root);

// Inside the repository, so `rxjs`, `ws`, ... resolve from its node_modules.
const dir = mkdtempSync(join(root, '.doc-snippets-'));
const { blocks, skipped } = extractSnippets(root, files);
const paths = writeSnippets(dir, blocks);

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
      files: [join(root, 'scripts', 'doc-snippets-prelude.d.ts'), ...paths],
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
const { lines, errors } = locate(output, blocks, [dir]);
for (const line of lines) console.error(line);
rmSync(dir, { recursive: true, force: true });
console.log(
  `check-doc-snippets: ${blocks.length} blocks in ${files.length} files, ${skipped} skipped, ${errors} errors`,
);
process.exit(failed ? 1 : 0);
