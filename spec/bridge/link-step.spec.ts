import { initialLinkState, linkStep } from '../../lib/bridge/link-step';
import type { LinkEffect, LinkInput, LinkState } from '../../lib/bridge/link-types';
import { decodeOrderItem } from '../../lib/orders/decode';
import { initialOrderState, reduceOrderState, type OrderUpdate } from '../../lib/orders';
import { orderLifecycle } from '../../lib/testing/builders';

const [NEW, FILL1] = orderLifecycle({ orderId: 'btcidr-limit-1' })
  .map((i) => decodeOrderItem(i))
  .flatMap((d) => (d.kind === 'update' ? [d.update] : [])) as [OrderUpdate, OrderUpdate];

const base = initialLinkState({
  account: 'a',
  maxBuffer: 3,
  recheckFailedMs: 300_000,
  sourceRetryMs: 2_000,
  checksIdentity: false,
});
const at = (patch: Partial<LinkState>): LinkState => ({ ...base, ...patch });
const types = (effects: readonly LinkEffect[]) =>
  effects.map((e) => (e.type === 'emit' ? `emit ${e.event.type}` : e.type));

interface Row {
  readonly name: string;
  readonly state: LinkState;
  readonly input: LinkInput;
  readonly effects: readonly string[];
  readonly then?: Partial<LinkState>;
}

const rows: Row[] = [
  { name: 'start: subscribes a fresh source', state: base, input: { type: 'start' }, effects: ['subscribe'] },
  {
    name: 'an update with nothing in flight: published at once',
    state: base,
    input: { type: 'update', update: NEW },
    effects: ['publish'],
    then: { inFlight: true, queue: [NEW] },
  },
  {
    name: 'an update while one is in flight: queued',
    state: at({ queue: [NEW], inFlight: true }),
    input: { type: 'update', update: FILL1 },
    effects: [],
    then: { queue: [NEW, FILL1] },
  },
  {
    name: 'the buffer fills: the socket is let go',
    state: at({ queue: [NEW, FILL1], inFlight: true }),
    input: { type: 'update', update: FILL1 },
    effects: ['unsubscribe', 'emit paused'],
    then: { reading: 'paused' },
  },
  {
    name: 'an ack: folded into the store, the next one goes',
    state: at({ queue: [NEW, FILL1], inFlight: true }),
    input: { type: 'acked' },
    effects: ['publish'],
    then: { queue: [FILL1], inFlight: true, store: reduceOrderState(initialOrderState, NEW) },
  },
  {
    name: 'an ack while paused, half acknowledged: reads again',
    state: at({ queue: [NEW, FILL1], inFlight: true, reading: 'paused' }),
    input: { type: 'acked' },
    effects: ['emit resumed', 'subscribe', 'publish'],
    then: { reading: 'on' },
  },
  {
    name: 'a refused update: skipped and said, the next one goes',
    state: at({ queue: [NEW, FILL1], inFlight: true }),
    input: { type: 'publish-failed', kind: 'refused', reason: 'too large' },
    effects: ['emit skipped', 'publish'],
    then: { queue: [FILL1] },
  },
  {
    name: 'a transient failure: retried later, counted',
    state: at({ queue: [NEW], inFlight: true }),
    input: { type: 'publish-failed', kind: 'transient', reason: 'timeout' },
    effects: ['emit publish-retry', 'count', 'retry-later'],
    then: { attempt: 1, retrying: true, inFlight: false },
  },
  {
    name: 'a lost stream: retried like a transient failure (the bus repairs itself)',
    state: at({ queue: [NEW], inFlight: true, attempt: 2 }),
    input: { type: 'publish-failed', kind: 'lost', reason: 'JetStreamNotEnabled' },
    effects: ['emit publish-retry', 'count', 'retry-later'],
    then: { attempt: 3 },
  },
  {
    name: 'retry due: the head again',
    state: at({ queue: [NEW], retrying: true, attempt: 1 }),
    input: { type: 'retry-due' },
    effects: ['publish'],
  },
  {
    name: 'a temporary source failure: a fresh source after sourceRetryMs',
    state: base,
    input: { type: 'source-failed', permanent: false, reason: 'exhausted' },
    effects: ['emit source-failed', 'later'],
    then: { reading: 'waiting' },
  },
  {
    name: 'a permanent failure: said once, status failed, re-checked after recheckFailedMs',
    state: base,
    input: { type: 'source-failed', permanent: true, reason: 'token: invalid_credentials' },
    effects: ['emit account-failed', 'publish-status', 'later', 'later'],
    then: { reading: 'waiting', failure: 'token: invalid_credentials' },
  },
  {
    name: 'the same permanent failure at the re-check: not said again',
    state: at({ failure: 'token: invalid_credentials' }),
    input: { type: 'source-failed', permanent: true, reason: 'token: invalid_credentials' },
    effects: ['publish-status', 'later', 'later'],
  },
  {
    name: 'while failed: the status is said again (no token request)',
    state: at({ failure: 'token: bad', reading: 'waiting' }),
    input: { type: 'failed-status-due' },
    effects: ['publish-status', 'later'],
  },
  {
    name: 'once re-checking: the failed status stops',
    state: at({ failure: 'token: bad', reading: 'on' }),
    input: { type: 'failed-status-due' },
    effects: [],
  },
  {
    name: 're-check due: a fresh source',
    state: at({ reading: 'waiting' }),
    input: { type: 'resubscribe-due' },
    effects: ['subscribe'],
    then: { reading: 'on' },
  },
  {
    name: 'subscribed with an identity check: asks the bus, publishes nothing yet',
    state: at({ checksIdentity: true, identity: 'unchecked', queue: [NEW] }),
    input: { type: 'status', status: { state: 'subscribed', channel: 'pws:#1' } },
    effects: ['emit status', 'check-identity'],
    then: {
      identity: 'checking',
      channel: 'pws:#1',
      inFlight: false,
      heldStatus: '{"state":"subscribed","channel":"pws:#1"}',
    },
  },
  {
    name: 'identity ok: the held status is published, the queue flows',
    state: at({ checksIdentity: true, identity: 'checking', queue: [NEW], heldStatus: '{}' }),
    input: { type: 'identity', answer: 'ok' },
    effects: ['publish-status', 'publish'],
  },
  {
    name: 'identity mismatch: nothing published, the socket let go, said once',
    state: at({ checksIdentity: true, identity: 'checking', queue: [NEW, FILL1] }),
    input: { type: 'identity', answer: 'mismatch' },
    effects: ['unsubscribe', 'emit identity-mismatch'],
    then: { reading: 'refused', queue: [] },
  },
  {
    name: 'after a mismatch: updates and statuses are ignored',
    state: at({ identity: 'mismatch', reading: 'refused' }),
    input: { type: 'update', update: NEW },
    effects: [],
  },
  {
    name: 'a second connected: a reconnect',
    state: at({ connectedOnce: true }),
    input: { type: 'status', status: { state: 'connected', client: 'c' } },
    effects: ['publish-status', 'emit status', 'count'],
  },
  {
    name: 'the bus came back empty: the store goes again before the queue',
    state: at({ store: reduceOrderState(initialOrderState, NEW), queue: [FILL1], inFlight: true }),
    input: { type: 'bus-reset', stream: true, identities: true },
    effects: ['emit republished'],
    then: { queue: [FILL1, { ...NEW, source: 'rest' }] },
  },
  {
    name: 'stop with nothing buffered: drained at once',
    state: base,
    input: { type: 'stop' },
    effects: ['unsubscribe', 'drained'],
    then: { stopping: true },
  },
  {
    name: 'stop with one in flight: drained on its ack',
    state: at({ queue: [NEW], inFlight: true, stopping: true }),
    input: { type: 'acked' },
    effects: ['drained'],
  },
];

describe('linkStep', () => {
  it.each(rows)('$name', (row) => {
    const [state, effects] = linkStep(row.state, row.input);
    expect(types(effects)).toEqual(row.effects);
    if (row.then) expect(state).toMatchObject(row.then);
  });

  it('a skipped update names its order id escaped, never raw control characters', () => {
    const hostile = { ...NEW, order: { ...NEW.order, orderId: 'o\r\n1' } } as OrderUpdate;
    const [, effects] = linkStep(at({ queue: [hostile], inFlight: true }), {
      type: 'publish-failed',
      kind: 'refused',
      reason: 'the message id holds a control character or is too long',
    });
    expect(effects[0]).toEqual({
      type: 'emit',
      event: {
        type: 'skipped',
        account: 'a',
        reason: 'the message id holds a control character or is too long',
        orderId: 'o\\r\\n1',
        status: 'NEW',
      },
    });
  });
});
