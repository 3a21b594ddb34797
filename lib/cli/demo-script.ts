/**
 * The demo's scripted market and faults: a pure, seeded sequence of steps, produced as
 * it is played (a generator), so a demo that runs for days holds only its open orders.
 * The demo turns market steps into `order_update` events published by the fake
 * exchange, and fault steps into the fake's fault controls.
 * @internal
 */

/** One step of the script, `at` ms after the start. @internal */
export type DemoStep =
  | { readonly at: number; readonly kind: 'place'; readonly order: DemoOrder }
  | {
      readonly at: number;
      readonly kind: 'fill';
      readonly order: DemoOrder;
      readonly qty: string;
      readonly executed: string;
      readonly tradeId: string;
      readonly maker: boolean;
    }
  | { readonly at: number; readonly kind: 'done'; readonly order: DemoOrder }
  | { readonly at: number; readonly kind: 'cancel'; readonly order: DemoOrder; readonly executed: string }
  | { readonly at: number; readonly kind: 'reject'; readonly order: DemoOrder }
  | { readonly at: number; readonly kind: 'fault'; readonly fault: DemoFault };

/** A scripted fault. @internal */
export type DemoFault = 'drop-link' | 'expire-token' | 'bad-frame' | 'gap-start' | 'gap-end';

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

/** How the script runs. @internal */
export interface DemoScriptOptions {
  /** The length of one round; faults come at fixed shares of it. */
  readonly roundMs: number;
  /** How many rounds (default 1; `Infinity`: for ever, order ids keep counting up). */
  readonly rounds?: number;
  /** The mean time between two market steps (default 400 ms). */
  readonly stepMs?: number;
}

const MARKETS = [
  { symbol: 'btcidr', price: 950_000_000, tick: 1000, lot: [10_000n, 400_000n] },
  { symbol: 'ethidr', price: 52_000_000, tick: 500, lot: [500_000n, 8_000_000n] },
  { symbol: 'usdtidr', price: 16_250, tick: 1, lot: [1_000_000_000n, 50_000_000_000n] },
  { symbol: 'solidr', price: 3_100_000, tick: 100, lot: [10_000_000n, 300_000_000n] },
] as const;

/** Faults at fixed shares of a round, so every round shows them. */
const FAULTS: readonly (readonly [number, DemoFault])[] = [
  [0.1, 'bad-frame'],
  [0.25, 'drop-link'],
  [0.4, 'gap-start'],
  [0.5, 'gap-end'],
  [0.6, 'expire-token'],
];

/** 10^-8 units as a decimal string with 8 places. @internal */
export function units8(units: bigint): string {
  const whole = units / 100_000_000n;
  const fraction = (units % 100_000_000n).toString().padStart(8, '0');
  return `${whole}.${fraction}`;
}

/**
 * The script, in time order, produced lazily: in each round, every ~`stepMs`
 * something happens on one of four markets (for the first 75 % of the round; the rest
 * is quiet so the last reconciliation settles), and faults come at fixed shares: a bad
 * frame (10 %), a dropped link (25 %), a gap during which the market moves unseen
 * (40 %–50 %) and an expiring token (60 %). Order ids and trade ids never repeat, also
 * across rounds.
 * @internal
 */
export function* demoSteps(random: () => number, options: DemoScriptOptions): Generator<DemoStep, void> {
  const { roundMs, rounds = 1, stepMs = 400 } = options;
  const open: { order: DemoOrder; executed: bigint }[] = [];
  let nextOrder = 1000;
  let nextTrade = 72057594037927936n + BigInt(Math.floor(random() * 1_000_000));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Steps due later than the market step being built (a reject, a done, the faults).
  const pending: DemoStep[] = [];
  const later = (step: DemoStep): void => {
    const i = pending.findIndex((p) => p.at > step.at);
    pending.splice(i < 0 ? pending.length : i, 0, step);
  };
  function* until(at: number): Generator<DemoStep, void> {
    while (pending.length > 0 && (pending[0] as DemoStep).at <= at) yield pending.shift() as DemoStep;
  }

  for (let round = 0; round < rounds; round++) {
    const start = round * roundMs;
    for (const [share, fault] of FAULTS)
      later({ at: start + Math.round(roundMs * share), kind: 'fault', fault });
    for (let at = start + stepMs; at < start + roundMs * 0.75; at += Math.round(stepMs * (0.5 + random()))) {
      yield* until(at);
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
        yield { at, kind: 'place', order };
        if (random() < 0.08) later({ at: at + 50, kind: 'reject', order });
        else open.push({ order, executed: 0n });
      } else if (roll < 0.8) {
        const entry = pick(open);
        const left = entry.order.units - entry.executed;
        const part = random() < 0.4 ? left : (left * BigInt(20 + Math.floor(random() * 50))) / 100n || left;
        entry.executed += part;
        yield {
          at,
          kind: 'fill',
          order: entry.order,
          qty: units8(part),
          executed: units8(entry.executed),
          tradeId: String(nextTrade++),
          maker: random() < 0.5,
        };
        if (entry.executed === entry.order.units) {
          later({ at: at + 1, kind: 'done', order: entry.order });
          open.splice(open.indexOf(entry), 1);
        }
      } else {
        const entry = pick(open);
        yield { at, kind: 'cancel', order: entry.order, executed: units8(entry.executed) };
        open.splice(open.indexOf(entry), 1);
      }
    }
    yield* until(start + roundMs);
  }
  yield* until(Infinity);
}
