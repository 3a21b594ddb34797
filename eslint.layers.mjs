// The layers of lib/ (DESIGN.md, "Layers"): imports that must never exist, type-only ones
// too. One `no-restricted-imports` block per folder; `eslint.config.mjs` spreads them in.
// A relative specifier is matched after its leading `../` steps, so `../connection`,
// `../connection/types` and `../connection.ts` all hit.

/**
 * from folder → parts of lib/ it never imports: DESIGN.md's table "Layers", row for row (the
 * spec spec/util/layering.spec.ts reads that table and fails when the two differ, and lints a
 * probe for every cell). `util` is a leaf: it imports no other part of lib/.
 */
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
  client: ['cli', 'testing', 'bus', 'bridge'],
  bus: ['bridge', 'cli', 'testing', 'connection', 'transport', 'rest', 'reconcile', 'token'],
  bridge: ['cli', 'testing'],
  testing: ['cli', 'bus', 'bridge'],
  util: [
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
  ],
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The flat-config blocks: one per folder of lib/. */
export const layers = Object.entries(NEVER).map(([from, never]) => ({
  files: [`lib/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            // From lib/<from>/x.ts one `../` reaches lib/ (more from a nested folder).
            regex: `^(?:(?:\\.\\./)+)(?:lib/)?(?:${never.map(escape).join('|')})(?:\\.[cm]?[jt]s)?(?:/.*)?$`,
            message: `lib/${from}/ never imports ${never.join(', ')} (DESIGN.md, "Layers").`,
          },
        ],
      },
    ],
  },
}));
