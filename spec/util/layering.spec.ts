import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

interface Probe {
  /** The folder of lib/ the probe is placed in. */
  readonly layer: string;
  readonly code: string;
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

describe('layering is enforced by npm run lint (DESIGN.md, "Layers")', () => {
  it('fails a forbidden import, type-only or re-exported too, and passes the allowed ones', () => {
    const forbidden: Probe[] = [
      {
        layer: 'orders',
        code: "import type { ChannelError } from '../connection/types';\nexport type X = ChannelError;\n",
      },
      { layer: 'orders', code: "export { createTradeApi } from '../rest';\n" },
      {
        layer: 'orders',
        code: "import { startFakeServer } from '../testing/fake-server';\nexport const x = startFakeServer;\n",
      },
      {
        layer: 'protocol',
        code: "import type { OrderUpdate } from '../orders/codecs';\nexport type X = OrderUpdate;\n",
      },
      {
        layer: 'connection',
        code: "import { orderUpdates } from '../orders';\nexport const x = orderUpdates;\n",
      },
      {
        layer: 'reconcile',
        code: "import { createPrivateClient } from '../client';\nexport const x = createPrivateClient;\n",
      },
      {
        layer: 'rest',
        code: "import type { ChannelError } from '../connection/types';\nexport type X = ChannelError;\n",
      },
      { layer: 'client', code: "import { main } from '../cli/main';\nexport const x = main;\n" },
      {
        layer: 'util',
        code: "import type { OrderUpdate } from '../orders';\nexport type X = OrderUpdate;\n",
      },
    ];
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
    ];
    const results = lint([...forbidden, ...allowed]);
    forbidden.forEach((probe, i) => {
      expect({ probe, messages: results[i] }).toEqual({
        probe,
        messages: [expect.stringContaining(`lib/${probe.layer}/ never imports`) as string],
      });
    });
    allowed.forEach((probe, i) => {
      expect({ probe, messages: results[forbidden.length + i] }).toEqual({ probe, messages: [] });
    });
  }, 60_000);
});
