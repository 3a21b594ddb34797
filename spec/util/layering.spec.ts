import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Probe {
  /** The folder of lib/ the probe is placed in. */
  readonly layer: string;
  readonly code: string;
}

/** The folder names of lib/ that DESIGN.md's "every other folder" means for `util/`. */
const PARTS = [
  'auth',
  'environments',
  'token',
  'protocol',
  'transport',
  'connection',
  'orders',
  'rest',
  'reconcile',
  'client',
  'bus',
  'bridge',
  'testing',
  'cli',
  'index',
];

/** DESIGN.md's "Layers" table: `from` folder → what it never imports. */
function designTable(): Record<string, string[]> {
  const file = path.join(root, '..', 'shared', 'DESIGN.md');
  if (!existsSync(file))
    throw new Error(`DESIGN.md not found at ${file}: shared/ must sit beside the repository`);
  const text = readFileSync(file, 'utf8');
  const section = text.split(/^## Layers/m)[1]?.split(/^## /m)[0] ?? '';
  const table: Record<string, string[]> = {};
  for (const line of section.split('\n')) {
    const m = /^\|\s*(`[^|]+)\|\s*([^|]+)\|\s*$/.exec(line);
    if (!m) continue;
    const froms = [...(m[1] ?? '').matchAll(/`([a-z]+)\/`/g)].map((x) => x[1] ?? '');
    const cell = (m[2] ?? '').trim();
    const never = cell.startsWith('every other folder')
      ? PARTS
      : cell.split(',').map((s) => s.trim().replace(/`|\/$/g, ''));
    for (const from of froms) table[from] = [...never].sort();
  }
  return table;
}

/**
 * Lints each probe with ESLint's Node API and the repository's own `eslint.config.mjs`
 * (what `npm run lint` runs), as if it were the file `lib/<layer>/layering-probe.ts`. It
 * runs in a child process: ESLint loads its config with `import()`, which jest's VM refuses.
 */
function lint(probes: readonly Probe[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const path = require('node:path');
    (async () => {
      const probes = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const p of probes) {
        const [r] = await eslint.lintText(p.code, { filePath: path.join(process.cwd(), 'lib', p.layer, 'layering-probe.ts') });
        out.push(r.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.fatal).map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const text = execFileSync(process.execPath, ['-e', script], {
    cwd: root,
    input: JSON.stringify(probes),
    encoding: 'utf8',
  });
  return JSON.parse(text) as string[][];
}

/** What eslint.layers.mjs holds, read in a child process (it is an ES module). */
function eslintTable(): Record<string, string[]> {
  const text = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { NEVER } from './eslint.layers.mjs'; process.stdout.write(JSON.stringify(NEVER));",
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const table = JSON.parse(text) as Record<string, string[]>;
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v].sort()]));
}

describe('layering is enforced by npm run lint (DESIGN.md, "Layers")', () => {
  it("eslint.layers.mjs matches DESIGN.md's table row for row", () => {
    const design = designTable();
    expect(Object.keys(design).length).toBeGreaterThanOrEqual(12);
    expect(eslintTable()).toEqual(design);
  });

  const allowed: Probe[] = [
    {
      layer: 'orders',
      code: "import type { ChannelMessage } from '../protocol/messages';\nexport type X = ChannelMessage;\n",
    },
    {
      layer: 'orders',
      code: "import { addDecimals } from '../util/decimal';\nexport const x = addDecimals;\n",
    },
    {
      layer: 'reconcile',
      code: "import { reduceOrderState } from '../orders';\nexport const x = reduceOrderState;\n",
    },
    {
      layer: 'connection',
      code: "import type { ChannelMessage } from '../protocol/messages';\nexport type X = ChannelMessage;\n",
    },
    { layer: 'bus', code: "import type { OrderUpdate } from '../orders';\nexport type X = OrderUpdate;\n" },
    {
      layer: 'bridge',
      code: "import { createPrivateClient } from '../client';\nexport const x = createPrivateClient;\n",
    },
    { layer: 'testing', code: "import { orderUpdates } from '../orders';\nexport const x = orderUpdates;\n" },
    { layer: 'util', code: "import { safeTimer } from './safe-timer';\nexport const x = safeTimer;\n" },
  ];

  it('bites on every cell of the table (type-only imports and re-exports too) and passes what it allows', () => {
    const forbidden: Probe[] = Object.entries(eslintTable()).flatMap(([layer, never]) =>
      never.map((target, i) => ({
        layer,
        code:
          i % 3 === 0
            ? `import type { X } from '../${target}/x';\nexport type Y = X;\n`
            : i % 3 === 1
              ? `export { x } from '../${target}';\n`
              : `import { x } from '../${target}';\nexport const y = x;\n`,
      })),
    );
    expect(forbidden.length).toBeGreaterThan(80);
    const results = lint([...forbidden, ...allowed]);
    const missed = forbidden
      .map((probe, i) => ({ ...probe, got: results[i] ?? [] }))
      .filter((p) => !p.got.some((m) => m.includes(`lib/${p.layer}/ never imports`)));
    expect(missed).toEqual([]);
    expect(results.slice(forbidden.length)).toEqual(allowed.map(() => []));
  }, 120_000);
});
