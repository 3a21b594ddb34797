/**
 * The complete example of docs/marble-testing.md, run as a spec. The code between the
 * two `docs/marble-testing.md` marker lines is the doc's second ```ts block, character for
 * character (the last test checks it); only the import lines differ, since the doc imports
 * from the package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distinct, map, share, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { addDecimals } from '../../lib/util/decimal';
import { ofStatus, openOrders, orderState, orderUpdates, type OrderUpdate } from '../../lib/orders';
import * as orders from '../../lib/orders';
import * as builders from '../../lib/testing/builders';
import { orderLifecycle } from '../../lib/testing/builders';
import * as marbles from '../../lib/testing/marbles';
import { channelStatus, publication } from '../../lib/testing/marbles';

// >>> docs/marble-testing.md
// ---- the strategy under test ----------------------------------------------------------

/** What the strategy wants done: hedge each fill on the other side. */
interface Hedge {
  readonly side: 'BUY' | 'SELL';
  readonly qty: string;
  readonly symbol: string;
}

/** For every fill of one of our orders, a hedge of the same quantity on the other side. */
function hedges(updates$: Observable<OrderUpdate>): Observable<Hedge> {
  return updates$.pipe(
    ofStatus('FILL'),
    distinct((f) => f.order.tradeId), // a repeated push must not hedge twice
    map((f) => ({
      side: f.order.side === 'BUY' ? 'SELL' : 'BUY',
      qty: f.order.fillInformation.qty,
      symbol: f.order.symbol,
    })),
  );
}

/** The unfilled quantity of our open orders per symbol, after every change. */
function openQuantity(updates$: Observable<OrderUpdate>): Observable<Record<string, string>> {
  return updates$.pipe(
    orderState(),
    map((snapshot) => {
      const out: Record<string, string> = {};
      for (const order of openOrders(snapshot)) {
        out[order.symbol] = addDecimals(out[order.symbol] ?? '0', order.unfilledQty);
      }
      return out;
    }),
  );
}

// ---- the marble test --------------------------------------------------------------------

describe('a strategy over the private channel', () => {
  it('hedges every fill once and tracks what is still open', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    // One order filled in two parts (0.004 then 0.006 of 0.01), then DONE.
    const [placed, fill1, fill2, finished] = orderLifecycle({
      orderId: 'btcidr-limit-1',
      fills: ['0.004', '0.006'],
    });
    const problems: string[] = [];

    scheduler.run(({ cold, expectObservable }) => {
      const channel$ = cold('s-a-b-c-d-e|', {
        s: channelStatus.subscribed(),
        a: publication([placed]),
        b: publication([fill1, { ...fill2, order: { ...fill2!.order, executedQty: 0.01 } }]), // a bad item
        c: publication([fill1]), // the server repeats itself
        d: publication([fill2]),
        e: publication([finished]),
      });
      const updates$ = channel$.pipe(orderUpdates({ onInvalid: (p) => problems.push(p.reason) }), share());

      expectObservable(hedges(updates$)).toBe('----x---y--|', {
        x: { side: 'SELL', qty: '0.004', symbol: 'btcidr' },
        y: { side: 'SELL', qty: '0.006', symbol: 'btcidr' },
      });
      expectObservable(openQuantity(updates$)).toBe('--p-q---r-z|', {
        p: { btcidr: '0.01' },
        q: { btcidr: '0.006' },
        r: { btcidr: '0' },
        z: {},
      });
    });

    expect(problems).toEqual(['Invalid value 0.01 supplied to order/executedQty']);
  });
});
// <<< docs/marble-testing.md

describe('docs/marble-testing.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/marble-testing.md'), 'utf8');
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('shows exactly the code this spec runs', () => {
    const spec = readFileSync(__filename, 'utf8');
    const start = spec.indexOf('// >>> docs/marble-testing.md\n') + '// >>> docs/marble-testing.md\n'.length;
    const end = spec.indexOf('// <<< docs/marble-testing.md');
    expect(blocks[1]).toBe(spec.slice(start, end));
  });

  it('imports only names the package and its testing kit export', () => {
    const imports = blocks[0] ?? '';
    const names = (from: string) =>
      [...imports.matchAll(new RegExp(`import \\{([^}]*)\\} from '${from}';`, 'g'))]
        .flatMap((m) => m[1]!.split(','))
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith('type '));
    expect(names('indodax-pws').length).toBeGreaterThan(0);
    for (const name of names('indodax-pws')) expect(Object.keys(orders)).toContain(name);
    for (const name of names('indodax-pws/testing'))
      expect([...Object.keys(builders), ...Object.keys(marbles)]).toContain(name);
  });
});
