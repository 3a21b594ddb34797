/**
 * The baseline both the fold bench (h) and the throughput bench (client b) measure
 * against: what a user of a bare client writes by hand to do the job `orderState()` does,
 * with mutable structures: plain type checks, a `Map` of orders, exact BigInt decimals
 * (cumulative fill quantity, fee/tax/clearing totals per asset), fills counted once per
 * `tradeId`, and the same bounded retention (at most 1,000 terminal orders kept, the
 * oldest evicted first, 10,000 evicted ids remembered so a late update cannot bring one
 * back). It keeps no snapshots: the state is changed in place.
 */

const DECIMAL = /^\d+(\.\d+)?$/;
const STATUSES = new Set(['NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED']);
const TERMINAL = new Set(['CANCELLED', 'DONE', 'REJECTED']);
const MAX_TERMINAL = 1000;
const MAX_FORGOTTEN = 10_000;

function toScaled(text: string): [bigint, number] {
  const dot = text.indexOf('.');
  return dot < 0
    ? [BigInt(text), 0]
    : [BigInt(text.slice(0, dot) + text.slice(dot + 1)), text.length - dot - 1];
}

/** Exact sum of two unsigned decimal strings, canonical (no trailing fraction zeros). */
export function addExact(a: string, b: string): string {
  const [x, xs] = toScaled(a);
  const [y, ys] = toScaled(b);
  const scale = Math.max(xs, ys);
  const sum = (x * 10n ** BigInt(scale - xs) + y * 10n ** BigInt(scale - ys))
    .toString()
    .padStart(scale + 1, '0');
  return scale === 0 ? sum : `${sum.slice(0, -scale)}.${sum.slice(-scale)}`.replace(/\.?0+$/, '');
}

interface HandOrder {
  status: string;
  executedQty: string;
  unfilledQty: string;
  fillsQty: string;
  lastSeen: number;
  fills: Set<string>;
  fees: Map<string, string>;
}

/** A FIFO of ids on an array with a moving head (compacted now and then). */
class Fifo {
  private ids: string[] = [];
  private head = 0;
  get size(): number {
    return this.ids.length - this.head;
  }
  push(id: string): void {
    this.ids.push(id);
  }
  shift(): string | undefined {
    const id = this.ids[this.head++];
    if (this.head >= 1024 && this.head * 2 >= this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
    return id;
  }
}

/** The mutable store of the hand fold. */
export class HandStore {
  readonly orders = new Map<string, HandOrder>();
  private readonly terminal = new Fifo();
  private readonly forgotten = new Set<string>();
  private readonly forgottenOrder = new Fifo();

  /** Folds one raw item; its `transactionTime` when it was a valid `order_update`, else undefined. */
  fold(raw: unknown): number | undefined {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const { eventType, order } = raw as { eventType?: unknown; order?: Record<string, unknown> };
    if (eventType !== 'order_update' || typeof order !== 'object' || order === null) return undefined;
    const { orderId, status, executedQty, origQty, unfilledQty, price, transactionTime } = order;
    if (typeof orderId !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) return undefined;
    for (const d of [executedQty, origQty, unfilledQty, price])
      if (typeof d !== 'string' || !DECIMAL.test(d)) return undefined;
    if (typeof transactionTime !== 'number' || !Number.isSafeInteger(transactionTime)) return undefined;
    if (typeof order['symbol'] !== 'string' || (order['side'] !== 'BUY' && order['side'] !== 'SELL'))
      return undefined;
    let fill: Record<string, unknown> | undefined;
    if (status === 'FILL') {
      fill = order['fillInformation'] as Record<string, unknown> | undefined;
      if (typeof order['tradeId'] !== 'string' || typeof fill !== 'object' || fill === null) return undefined;
      for (const k of ['qty', 'fee', 'tax', 'clearing', 'filledQty'])
        if (typeof fill[k] !== 'string' || !DECIMAL.test(fill[k] as string)) return undefined;
      for (const k of ['feeRate', 'taxRate', 'clearingRate'])
        if (typeof fill[k] !== 'number') return undefined;
    }
    if (this.forgotten.has(orderId)) return transactionTime;
    let tracked = this.orders.get(orderId);
    if (tracked === undefined) {
      tracked = {
        status,
        executedQty: '0',
        unfilledQty: '0',
        fillsQty: '0',
        lastSeen: transactionTime,
        fills: new Set(),
        fees: new Map(),
      };
      this.orders.set(orderId, tracked);
    }
    const wasTerminal = TERMINAL.has(tracked.status);
    tracked.status = status;
    tracked.executedQty = executedQty as string;
    tracked.unfilledQty = unfilledQty as string;
    tracked.lastSeen = Math.max(tracked.lastSeen, transactionTime);
    if (fill && !tracked.fills.has(order['tradeId'] as string)) {
      tracked.fills.add(order['tradeId'] as string);
      tracked.fillsQty = addExact(tracked.fillsQty, fill['qty'] as string);
      for (const [asset, amount] of [
        [fill['feeAsset'], fill['fee']],
        [fill['taxAsset'], fill['tax']],
        [fill['clearingAsset'], fill['clearing']],
      ] as [string, string][]) {
        tracked.fees.set(asset, addExact(tracked.fees.get(asset) ?? '0', amount));
      }
    }
    if (!wasTerminal && TERMINAL.has(status)) this.retire(orderId);
    return transactionTime;
  }

  private retire(orderId: string): void {
    this.terminal.push(orderId);
    while (this.terminal.size > MAX_TERMINAL) {
      const oldest = this.terminal.shift() as string;
      this.orders.delete(oldest);
      this.forgotten.add(oldest);
      this.forgottenOrder.push(oldest);
      if (this.forgottenOrder.size > MAX_FORGOTTEN)
        this.forgotten.delete(this.forgottenOrder.shift() as string);
    }
  }
}
