import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

// The package's public surface: what the docs import exists, and internals stay inside.
const root = join(__dirname, '..');

function exportsOf(file: string): Set<string> {
  const program = ts.createProgram([file], {
    strict: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noResolve: false,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`no module symbol for ${file}`);
  return new Set(checker.getExportsOfModule(symbol).map((s) => s.getName()));
}

/** Every `import { a, type B, c as d } from 'indodax-pws…'` in the Markdown pages. */
function docImports(): { page: string; from: string; name: string }[] {
  const pages = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const found: { page: string; from: string; name: string }[] = [];
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8');
    for (const m of text.matchAll(
      /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(indodax-pws(?:\/testing|\/bus|\/decimal)?)'/g,
    )) {
      for (const part of (m[1] ?? '').split(',')) {
        const name = part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0];
        if (name) found.push({ page, from: m[2] ?? '', name });
      }
    }
  }
  return found;
}

/** Names that are implementation details: never exported from the package. */
const INTERNAL = [
  // util
  'PersistentMap',
  'VersionedMap',
  'hashString',
  'seededRandom',
  'safeTimer',
  'MAX_TIMER_MS',
  'backoff',
  'formatValidationErrors',
  'errorPath',
  'globalFetch',
  'joinUrl',
  // protocol
  'decodeLine',
  'splitFrame',
  'encodeConnect',
  'encodeSubscribe',
  'encodeRefresh',
  'classify',
  'codeName',
  'CODES',
  // orders internals
  'decodeOrderItem',
  'OrderUpdateItem',
  'orderUpdateOf',
  'restOnlyFill',
  'invalidMessage',
  'numberToDecimal',
  'taggedUnion',
  'STATUS_RANK',
  // reconcile and client internals
  'reconciliation',
  'reconcileOnce',
  'findingsToUpdates',
  'tradeApiSource',
  'knownOrdersOf',
  'pipelineFromChannel',
  'createWsFactory',
  'numericOrderId',
  'fullOrderId',
  'toApiSymbol',
  'fromApiSymbol',
  'mergeOrder',
  // the testing kit's insides
  'FakeHub',
  'FakeSession',
  'signFakeJwt',
  'verifyFakeJwt',
  'tokenEndpoint',
  'FakeAccounts',
];

describe('public surface', () => {
  const surfaces: Record<string, Set<string>> = {
    'indodax-pws': exportsOf(join(root, 'lib', 'index.ts')),
    'indodax-pws/testing': exportsOf(join(root, 'lib', 'testing', 'index.ts')),
    'indodax-pws/bus': exportsOf(join(root, 'lib', 'bus', 'index.ts')),
    'indodax-pws/decimal': exportsOf(join(root, 'lib', 'decimal.ts')),
  };

  it("keeps the root within 50 names (DESIGN.md's table, their types, what the docs teach)", () => {
    const names = [...(surfaces['indodax-pws'] ?? [])].sort();
    expect(names.length).toBeGreaterThan(20);
    if (names.length > 50)
      throw new Error(`the root exports ${names.length} names (at most 50): ${names.join(', ')}`);
  });

  it('exports every name README.md and docs/*.md import from indodax-pws, /testing and /bus', () => {
    const imports = docImports();
    expect(imports.length).toBeGreaterThan(10);
    const missing = imports
      .filter((i) => !surfaces[i.from]?.has(i.name))
      .map((i) => `${i.page}: ${i.name} from ${i.from}`);
    expect(missing).toEqual([]);
  });

  it('exports no internal name, from the root, /testing or /bus', () => {
    for (const [from, names] of Object.entries(surfaces)) {
      expect({ from, leaked: INTERNAL.filter((n) => names.has(n)) }).toEqual({ from, leaked: [] });
    }
  });

  it('keeps the names DESIGN.md fixes at the root', () => {
    const fixed = [
      'environments',
      'signRequestBody',
      'requestToken',
      'TokenRequestError',
      'privateChannel',
      'ChannelError',
      'orderUpdates',
      'splitByStatus',
      'orderState',
      'reduceOrderState',
      'initialOrderState',
      'createPrivateClient',
      'createTradeApi',
      'TradeApiError',
      'ChannelMessage',
      'ConnectionStatus',
      'PrivateToken',
      'Environment',
      'OrderUpdate',
      'OrderStateSnapshot',
      'TrackedOrder',
      'InvalidMessage',
    ];
    expect(fixed.filter((n) => !surfaces['indodax-pws']?.has(n))).toEqual([]);
    expect(
      ['startFakeServer', 'withFakeIndodax', 'newOrder', 'fill'].filter(
        (n) => !surfaces['indodax-pws/testing']?.has(n),
      ),
    ).toEqual([]);
  });
});
