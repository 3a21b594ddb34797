// Type-checks what a strict TypeScript user gets from the published tarball: packs it (or takes
// --tarball FILE), installs it in a scratch project outside the repository with the peers
// (rxjs, io-ts, fp-ts, @nats-io/*) and @types/node, and compiles every entry point
// (`indodax-pws`, `/testing`, `/bus`, `/decimal`), every ```ts block of README.md and docs/*.md and every
// examples/*.ts WITHOUT skipLibCheck, under --strict --exactOptionalPropertyTypes, as CommonJS
// (module node16) and as ESM (module nodenext, "type": "module"), with the TypeScript the
// project builds with and with the newest one the registry has.
//
// The scratch dependencies are cached in $CONSUMER_TYPES_CACHE (default
// <tmp>/indodax-pws-consumer-types) and installed again only when their list changes; with no
// registry, the cached install and the cached "newest TypeScript" are used (and said so).
// CommonJS has no top-level await: in the CommonJS pass a block that awaits has its statements
// wrapped in an async function (on the same lines, so errors still name the Markdown line).
// Usage: node scripts/check-consumer-types.mjs [--tarball FILE]
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docFiles, extractSnippets, locate, writeSnippets } from './doc-snippets.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const argTarball = process.argv.indexOf('--tarball');
const cache = process.env.CONSUMER_TYPES_CACHE ?? join(tmpdir(), 'indodax-pws-consumer-types');
const deps = join(cache, 'deps');
mkdirSync(deps, { recursive: true });

const run = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

// The two compilers: the one the project builds with, and the registry's newest.
const projectTs = JSON.parse(
  readFileSync(join(root, 'node_modules', 'typescript', 'package.json'), 'utf8'),
).version;
const newestFile = join(cache, 'newest-typescript');
let newestTs;
try {
  newestTs = run('npm', ['view', 'typescript', 'version']).trim();
  writeFileSync(newestFile, newestTs);
} catch {
  newestTs = existsSync(newestFile) ? readFileSync(newestFile, 'utf8').trim() : projectTs;
  console.log(`check-consumer-types: no registry; newest TypeScript taken as ${newestTs} (cached)`);
}

// The scratch project's dependencies: the peers as the package states them, @types/node for the
// oldest Node `engines` names, jest's types (the docs' test samples), and both compilers.
const nodeMajor = /(\d+)/.exec(pkg.engines?.node ?? '20')[1];
const wanted = {
  name: 'consumer-types',
  private: true,
  dependencies: {
    ...pkg.peerDependencies,
    '@types/node': `^${nodeMajor}`,
    '@types/jest': pkg.devDependencies['@types/jest'],
    'ts-project': `npm:typescript@${projectTs}`,
    'ts-newest': `npm:typescript@${newestTs}`,
  },
};
const depsJson = join(deps, 'package.json');
const wantedText = JSON.stringify(wanted, null, 2);
if (
  !existsSync(depsJson) ||
  readFileSync(depsJson, 'utf8') !== wantedText ||
  !existsSync(join(deps, 'node_modules'))
) {
  writeFileSync(depsJson, wantedText);
  console.log(
    '== installing the scratch project (peers, @types/node, TypeScript ' + `${projectTs} and ${newestTs})`,
  );
  // The peers at their newest in range: on Node 20, @nats-io 3.4's nuid declares Node 22 (the
  // README says to use 3.3.x there); its types are what most users compile, so they are checked,
  // and npm's EBADENGINE warning about it is not printed here.
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
    {
      cwd: deps,
      stdio: 'inherit',
    },
  );
}

// The tarball: packed now (prepack builds dist), or the one named.
let tarball;
const work = mkdtempSync(join(tmpdir(), 'consumer-types-'));
if (argTarball > 0) tarball = resolve(process.argv[argTarball + 1]);
else {
  const out = run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root }).trim().split('\n');
  tarball = join(work, out[out.length - 1]);
}
// Installed without touching the cached package.json, into the same node_modules.
rmSync(join(deps, 'node_modules', 'indodax-pws'), { recursive: true, force: true });
run(
  'npm',
  ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
  {
    cwd: deps,
  },
);
const installed = JSON.parse(readFileSync(join(deps, 'node_modules', 'indodax-pws', 'package.json'), 'utf8'));

const entry = [
  "import * as root from 'indodax-pws';",
  "import * as testing from 'indodax-pws/testing';",
  "import * as bus from 'indodax-pws/bus';",
  "import * as decimal from 'indodax-pws/decimal';",
  'export const names: readonly string[] = [',
  '  ...Object.keys(root),',
  '  ...Object.keys(testing),',
  '  ...Object.keys(bus),',
  '  ...Object.keys(decimal),',
  '];',
].join('\n');
const examplesDir = join(root, 'examples');
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => /\.ts$/.test(f)) : [];

const modes = [
  { name: 'CommonJS', type: 'commonjs', module: 'node16', wrapAwait: true },
  { name: 'ESM', type: 'module', module: 'nodenext', wrapAwait: false },
];
const compilers = [
  {
    name: `TypeScript ${projectTs} (the project's)`,
    bin: join(deps, 'node_modules', 'ts-project', 'bin', 'tsc'),
  },
  { name: `TypeScript ${newestTs} (the newest)`, bin: join(deps, 'node_modules', 'ts-newest', 'bin', 'tsc') },
];

let failures = 0;
for (const mode of modes) {
  // A folder of the scratch project, so its package.json sets the module kind and the packages
  // resolve from the cached node_modules above it.
  const dir = join(deps, `check-${mode.type}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: mode.type }));
  writeFileSync(join(dir, 'entry.ts'), `${entry}\n`);
  const { blocks } = extractSnippets(root, docFiles(root), { wrapAwait: mode.wrapAwait });
  const snippetPaths = writeSnippets(dir, blocks);
  for (const f of examples) writeFileSync(join(dir, `example_${f}`), readFileSync(join(examplesDir, f)));
  writeFileSync(join(dir, 'prelude.d.ts'), readFileSync(join(root, 'scripts', 'doc-snippets-prelude.d.ts')));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: mode.module,
          moduleResolution: mode.module,
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node', 'jest'],
        },
        files: [
          'prelude.d.ts',
          'entry.ts',
          ...snippetPaths.map((p) => basename(p)),
          ...examples.map((f) => `example_${f}`),
        ],
      },
      null,
      2,
    ),
  );
  for (const ts of compilers) {
    let output = '';
    let ok = true;
    try {
      run(process.execPath, [ts.bin, '-p', dir, '--pretty', 'false'], { cwd: dir });
    } catch (e) {
      ok = false;
      output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    const { lines, errors } = locate(output, blocks, [dir, deps]);
    console.log(
      `check-consumer-types: ${mode.name} (${mode.module}), ${ts.name}: ` +
        `3 entry points, ${blocks.length} doc blocks, ${examples.length} examples: ` +
        (ok ? 'ok' : `${errors} errors`),
    );
    for (const line of lines) console.error(`  ${line}`);
    if (!ok) failures += 1;
  }
}
rmSync(work, { recursive: true, force: true });
console.log(
  `check-consumer-types: indodax-pws ${installed.version} from ${basename(tarball)}, ` +
    `${failures} of ${modes.length * compilers.length} compilations failed`,
);
process.exit(failures === 0 ? 0 : 1);
