// The layers of lib/ (DESIGN.md, "Layers"): imports that must never exist, type-only ones
// too. One `no-restricted-imports` block per folder; `eslint.config.mjs` spreads them in.
// A relative specifier is matched after its leading `../` steps, so `../connection`,
// `../connection/types` and `../client` (the file lib/client.ts or the folder) all hit.

/** from folder → parts of lib/ it never imports. */
export const NEVER = {
  protocol: [
    'orders',
    'transport',
    'connection',
    'rest',
    'reconcile',
    'client',
    'cli',
    'testing',
    'bus',
    'bridge',
  ],
  orders: [
    'connection',
    'transport',
    'token',
    'rest',
    'reconcile',
    'client',
    'cli',
    'testing',
    'bus',
    'bridge',
  ],
  connection: ['orders', 'rest', 'reconcile', 'client', 'cli', 'testing', 'bus', 'bridge'],
  transport: ['orders', 'connection', 'rest', 'reconcile', 'client', 'cli', 'testing'],
  token: ['orders', 'connection', 'rest', 'reconcile', 'client', 'cli', 'testing'],
  rest: ['connection', 'transport', 'reconcile', 'client', 'cli', 'testing'],
  reconcile: ['connection', 'transport', 'client', 'cli', 'testing'],
  client: ['cli', 'testing'],
  // Leaf helpers (not in DESIGN.md's table, which lists what must never exist): they import no other part of lib/.
  util: [
    'auth',
    'token',
    'protocol',
    'transport',
    'connection',
    'orders',
    'rest',
    'reconcile',
    'client',
    'cli',
    'testing',
    'bus',
    'bridge',
    'environments',
  ],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The flat-config blocks: one per folder of lib/ (and lib/client.ts for `client`). */
export const layers = Object.entries(NEVER).map(([from, never]) => ({
  files: from === 'client' ? ['lib/client/**/*.ts', 'lib/client.ts'] : [`lib/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // From lib/<from>/x.ts one `../` reaches lib/; from lib/client.ts it is `./`.
            regex: `^(?:\\./|(?:\\.\\./)+)(?:lib/)?(?:${never.map(escape).join('|')})(?:\\.[cm]?[jt]s)?(?:/.*)?$`,
            message: `lib/${from}/ never imports ${never.join(', ')} (DESIGN.md, "Layers").`,
          },
        ],
      },
    ],
  },
}));
