/**
 * Wire `order_update` items and Centrifugo push frames for the benchmarks, built by hand
 * so the benches do not depend on the testing kit's builders.
 */

/** The status sequence each simulated order goes through. */
const CYCLE = ['NEW', 'FILL', 'DONE'] as const;

/** The `n`-th wire item: order `floor(n / 3)` going NEW → FILL → DONE; `time` goes into transactionTime. */
export function wireItem(n: number, time: number): Record<string, unknown> {
  const id = Math.floor(n / 3);
  const status = CYCLE[n % 3] ?? 'NEW';
  const order: Record<string, unknown> = {
    orderId: `btcidr-limit-${id}`,
    symbol: 'btcidr',
    side: id % 2 === 0 ? 'BUY' : 'SELL',
    origQty: '0.00996909',
    unfilledQty: status === 'NEW' ? '0.00996909' : '0',
    executedQty: status === 'NEW' ? '0' : '0.00996909',
    price: '1500000000',
    description: 'BTC/IDR',
    status,
    transactionTime: time,
    clientOrderId: `bench-${id}`,
  };
  if (status === 'FILL') {
    order['tradeId'] = String(72057594037968281n + BigInt(id));
    order['fillInformation'] = {
      participant: 'TAKER',
      filledQty: '0.00996909',
      qty: '0.00996909',
      feeAsset: 'idr',
      feeRate: 0.002,
      fee: '29907',
      taxAsset: 'idr',
      taxRate: 0.0012,
      tax: '17944',
      clearingAsset: 'idr',
      clearingRate: 2.22e-4,
      clearing: '3320',
    };
  }
  return { eventType: 'order_update', order };
}

/** One push line carrying `items`. */
export function pushLine(channel: string, items: readonly unknown[]): string {
  return JSON.stringify({ push: { channel, pub: { data: items } } });
}

/**
 * The frames of `events` items, `perPush` items per push and `pushesPerFrame` pushes per
 * text frame (lines joined with `\n`), starting at item number `from`.
 */
export function buildFrames(
  channel: string,
  events: number,
  perPush: number,
  pushesPerFrame: number,
  time: number,
  from = 0,
): string[] {
  const frames: string[] = [];
  let n = from;
  const end = from + events;
  while (n < end) {
    const lines: string[] = [];
    for (let p = 0; p < pushesPerFrame && n < end; p += 1) {
      const items: unknown[] = [];
      for (let i = 0; i < perPush && n < end; i += 1, n += 1) items.push(wireItem(n, time));
      lines.push(pushLine(channel, items));
    }
    frames.push(lines.join('\n'));
  }
  return frames;
}
