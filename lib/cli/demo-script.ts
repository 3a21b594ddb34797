/**
 * The demo's scripted market and faults: a pure, seeded sequence of steps. The demo
 * turns market steps into `order_update` events published by the fake exchange, and
 * fault steps into the fake's fault controls.
 * @internal
 */

/** One step of the script, `at` ms after the start. @internal */
export type DemoStep =
  | { readonly at: number; readonly kind: 'place'; readonly order: DemoOrder }
  | {
      readonly at: number;
      readonly kind: 'fill';
      readonly orderId: string;
      readonly qty: string;
      readonly executed: string;
      readonly tradeId: string;
      readonly maker: boolean;
    }
  | { readonly at: number; readonly kind: 'done'; readonly orderId: string }
  | { readonly at: number; readonly kind: 'cancel'; readonly orderId: string }
  | { readonly at: number; readonly kind: 'reject'; readonly orderId: string }
  | {
      readonly at: number;
      readonly kind: 'fault';
      readonly fault: 'drop-link' | 'expire-token' | 'bad-frame' | 'gap-start' | 'gap-end';
    };

/** An order of the script. @internal */
export interface DemoOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly qty: string;
  /** Units of 10^-8 of the base asset, for exact splitting. */
  readonly units: bigint;
}

const MARKETS = [
  { symbol: 'btcidr', price: 950_000_000, tick: 1000, lot: [10_000n, 400_000n] },
  { symbol: 'ethidr', price: 52_000_000, tick: 500, lot: [500_000n, 8_000_000n] },
  { symbol: 'usdtidr', price: 16_250, tick: 1, lot: [1_000_000_000n, 50_000_000_000n] },
  { symbol: 'solidr', price: 3_100_000, tick: 100, lot: [10_000_000n, 300_000_000n] },
] as const;

/** 10^-8 units as a decimal string with 8 places. @internal */
export function units8(units: bigint): string {
  const whole = units / 100_000_000n;
  const fraction = (units % 100_000_000n).toString().padStart(8, '0');
  return `${whole}.${fraction}`;
}

/**
 * Builds the script for `durationMs`: every ~`stepMs` something happens on one of four
 * markets (for the first 75 %); faults come at fixed shares of the duration so every run
 * shows them: a bad frame (10 %), a dropped link (25 %), a gap during which the market
 * moves unseen (40 %), and an expiring token (60 %).
 * @internal
 */
export function demoScript(random: () => number, durationMs: number, stepMs = 400): DemoStep[] {
  const steps: DemoStep[] = [];
  const open: { order: DemoOrder; executed: bigint }[] = [];
  let nextOrder = 1000;
  let nextTrade = 72057594037927936n + BigInt(Math.floor(random() * 1_000_000));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  // The market moves for the first 75 %; the rest is quiet, so the last reconciliation
  // settles before the end and the final check compares like with like.
  for (let at = stepMs; at < durationMs * 0.75; at += Math.round(stepMs * (0.5 + random()))) {
    const roll = random();
    if (open.length < 3 || roll < 0.3) {
      const market = pick(MARKETS);
      const [lo, hi] = market.lot;
      const units = lo + BigInt(Math.floor(random() * Number(hi - lo)));
      const offset = Math.round((random() - 0.5) * 20) * market.tick;
      const order: DemoOrder = {
        orderId: `${market.symbol}-limit-${nextOrder++}`,
        symbol: market.symbol,
        side: random() < 0.5 ? 'BUY' : 'SELL',
        price: String(market.price + offset),
        qty: units8(units),
        units,
      };
      steps.push({ at, kind: 'place', order });
      if (random() < 0.08) {
        steps.push({ at: at + 50, kind: 'reject', orderId: order.orderId });
      } else {
        open.push({ order, executed: 0n });
      }
    } else if (roll < 0.8) {
      const entry = pick(open);
      const left = entry.order.units - entry.executed;
      const part = random() < 0.4 ? left : (left * BigInt(20 + Math.floor(random() * 50))) / 100n || left;
      entry.executed += part;
      steps.push({
        at,
        kind: 'fill',
        orderId: entry.order.orderId,
        qty: units8(part),
        executed: units8(entry.executed),
        tradeId: String(nextTrade++),
        maker: random() < 0.5,
      });
      if (entry.executed === entry.order.units) {
        steps.push({ at: at + 1, kind: 'done', orderId: entry.order.orderId });
        open.splice(open.indexOf(entry), 1);
      }
    } else {
      const entry = pick(open);
      steps.push({ at, kind: 'cancel', orderId: entry.order.orderId });
      open.splice(open.indexOf(entry), 1);
    }
  }
  const fault = (share: number, f: Extract<DemoStep, { kind: 'fault' }>['fault']): DemoStep => ({
    at: Math.round(durationMs * share),
    kind: 'fault',
    fault: f,
  });
  steps.push(
    fault(0.1, 'bad-frame'),
    fault(0.25, 'drop-link'),
    fault(0.4, 'gap-start'),
    fault(0.5, 'gap-end'),
    fault(0.6, 'expire-token'),
  );
  return steps.sort((a, b) => a.at - b.at);
}
