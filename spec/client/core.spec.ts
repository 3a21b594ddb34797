import { coreState, coreStep, type CoreAction, type CoreState } from '../../lib/client/core';
import { createOrderState, type OrderUpdate } from '../../lib/orders';
import type { ReconcileFindings } from '../../lib/reconcile/plan';
import type { ReconciliationEvent } from '../../lib/reconcile/events';
import { newOrder } from '../../lib/testing/builders';
import { deepFreeze } from '../orders/freeze';

const empty = coreState(createOrderState());
const poison = {
  status: 'NEW',
  source: 'rest',
  get order(): never {
    throw new Error('unreadable');
  },
} as unknown as OrderUpdate;
const connecting = { type: 'status', status: { state: 'connecting', attempt: 1 } } as const;
const publication = (...data: unknown[]) =>
  ({ type: 'message', message: { type: 'publication', channel: 'c', data } }) as const;
const findings = (...orderIds: string[]): CoreAction => {
  const f: ReconcileFindings = {
    orders: orderIds.map((orderId) => ({
      orderId,
      symbol: 'btcidr',
      side: 'BUY' as const,
      price: '100',
      state: 'OPEN' as const,
      origQty: '1',
      executedQty: '0',
      approximate: false,
      submitTime: 1_767_225_600_000,
    })),
    fills: [],
    unresolved: [],
    calls: 1,
    window: { from: 0, to: 1 },
  };
  return { type: 'reconciliation', output: { kind: 'findings', findings: f } };
};
const reconEvent = (event: ReconciliationEvent): CoreAction => ({
  type: 'reconciliation',
  output: { kind: 'event', event },
});
const completed: ReconciliationEvent = {
  type: 'completed',
  reason: 'reconnect',
  gapMs: 5,
  orders: 1,
  fills: 0,
  unresolved: [],
  calls: 1,
  durationMs: 3,
};

/** Runs actions through the step from `from`; gives the last state and every outcome. */
function run(from: CoreState, actions: readonly CoreAction[]) {
  let state = deepFreeze(from);
  const outcomes = [];
  for (const action of actions) {
    const [next, out] = coreStep(state, action);
    expect(out).toHaveLength(1);
    state = next;
    outcomes.push(out[0]);
  }
  return { state, outcomes };
}

interface Row {
  readonly name: string;
  readonly actions: readonly CoreAction[];
  /** Order ids in the store after the last action. */
  readonly orders: readonly string[];
  /** Order ids each outcome shows, one list per action. */
  readonly updates: readonly (readonly string[])[];
  /** Problems each outcome reports, one count per action. */
  readonly invalid: readonly number[];
  readonly applied: number;
  /** `changed` of the last outcome's reconciliation event, if it has one. */
  readonly changed?: number;
}

const rows: readonly Row[] = [
  {
    name: 'a publication is one step: its valid items folded, its bad ones problems',
    actions: [publication(newOrder({ orderId: 'btcidr-limit-1' }), 42)],
    orders: ['btcidr-limit-1'],
    updates: [['btcidr-limit-1']],
    invalid: [1],
    applied: 0,
  },
  {
    name: 'an update the store cannot fold is reported; the store is unchanged',
    actions: [{ type: 'updates', updates: [poison] }],
    orders: [],
    updates: [[]],
    invalid: [1],
    applied: 0,
  },
  {
    name: 'a status changes nothing but shows the message',
    actions: [{ type: 'message', message: connecting }],
    orders: [],
    updates: [[]],
    invalid: [0],
    applied: 0,
  },
  {
    name: 'findings that change the store are shown and counted; completed tells the count and resets it',
    actions: [findings('btcidr-limit-7', 'btcidr-limit-8'), reconEvent(completed)],
    orders: ['btcidr-limit-7', 'btcidr-limit-8'],
    updates: [['btcidr-limit-7', 'btcidr-limit-8'], []],
    invalid: [0, 0],
    applied: 0,
    changed: 2,
  },
  {
    name: 'a push between the findings and completed does not lose the count (no field of an outcome carries it)',
    actions: [
      findings('btcidr-limit-7'),
      publication(newOrder({ orderId: 'btcidr-limit-9' })),
      reconEvent(completed),
    ],
    orders: ['btcidr-limit-7', 'btcidr-limit-9'],
    updates: [['btcidr-limit-7'], ['btcidr-limit-9'], []],
    invalid: [0, 0, 0],
    applied: 0,
    changed: 1,
  },
  {
    name: 'findings the store already holds change nothing: completed says 0',
    actions: [
      findings('btcidr-limit-7'),
      reconEvent(completed),
      findings('btcidr-limit-7'),
      reconEvent(completed),
    ],
    orders: ['btcidr-limit-7'],
    updates: [['btcidr-limit-7'], [], [], []],
    invalid: [0, 0, 0, 0],
    applied: 0,
    changed: 0,
  },
  {
    name: 'a reconciliation that starts again forgets what an unfinished one applied',
    actions: [
      findings('btcidr-limit-7'),
      reconEvent({ type: 'started', reason: 'reconnect', from: 0, to: 1 }),
    ],
    orders: ['btcidr-limit-7'],
    updates: [['btcidr-limit-7'], []],
    invalid: [0, 0],
    applied: 0,
  },
  {
    name: 'findings keep counting until their completed',
    actions: [findings('btcidr-limit-7')],
    orders: ['btcidr-limit-7'],
    updates: [['btcidr-limit-7']],
    invalid: [0],
    applied: 1,
  },
];

describe('coreStep (the client core: (state, action) → [state, [outcome]])', () => {
  it.each(rows)('$name', (row) => {
    const { state, outcomes } = run(empty, row.actions);
    expect({
      orders: [...state.store.orders.keys()].sort(),
      updates: outcomes.map((o) => o.updates.map((u) => u.order.orderId)),
      invalid: outcomes.map((o) => o.invalid.length),
      applied: state.applied,
      outcomeIsStore: outcomes.every((o, i) => i < outcomes.length - 1 || o.state === state.store),
    }).toEqual({
      orders: [...row.orders].sort(),
      updates: row.updates,
      invalid: row.invalid,
      applied: row.applied,
      outcomeIsStore: true,
    });
    const last = outcomes[outcomes.length - 1]?.event;
    expect(last?.type === 'completed' ? last.changed : undefined).toBe(row.changed);
  });

  it('an action that changes nothing keeps the state object', () => {
    const [next] = coreStep(empty, { type: 'message', message: connecting });
    expect(next).toBe(empty);
    expect(coreStep(empty, { type: 'activity', at: 5 })[0]).toBe(empty);
  });
});
