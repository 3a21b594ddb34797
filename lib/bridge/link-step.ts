import { createOrderState, reduceOrderState, type OrderStateSnapshot } from '../orders';
import { shownId } from '../bus/names';
import type { LinkEffect, LinkInput, LinkState } from './link-types';
import { updatesOfStore } from './republish';

type Result = readonly [LinkState, readonly LinkEffect[]];

/** What a link starts from (config included). @internal */
export function initialLinkState(config: {
  readonly account: string;
  readonly maxBuffer: number;
  readonly recheckFailedMs: number;
  readonly sourceRetryMs: number;
  readonly checksIdentity: boolean;
  readonly store?: OrderStateSnapshot;
}): LinkState {
  const { store, ...rest } = config;
  return {
    ...rest,
    queue: [],
    inFlight: false,
    attempt: 0,
    retrying: false,
    reading: 'on',
    identity: config.checksIdentity ? 'unchecked' : 'ok',
    connectedOnce: false,
    stopping: false,
    store: store ?? createOrderState(),
  };
}

/**
 * One account's link to the bus, as a pure transition: updates queue in order and are published
 * one at a time (each waits for its JetStream ack); a failed publish is retried with backoff, an
 * update the bus can never carry is skipped and said; a full buffer lets the socket go until half
 * is acknowledged; nothing is published before the bus agrees the account's exchange user is this
 * one; a permanent failure (bad key, permission) is said once and re-checked only every
 * `recheckFailedMs`; when the bus came back empty, the acknowledged store is published again.
 *
 * ```text
 * update ─► queue ─► publish ─► acked ─► next          publish-failed: refused ─► skipped, next
 *                                                                      lost/transient ─► retry later
 * source-failed: permanent ─► account-failed (once), status failed, fresh source after recheckFailedMs
 * ```
 *
 * ## Example
 * ```ts
 * const [state, effects] = linkStep(initialLinkState(config), { type: 'start' });
 * ```
 * @internal
 */
export function linkStep(s: LinkState, input: LinkInput): Result {
  const account = s.account;
  switch (input.type) {
    case 'start':
      return [s, [{ type: 'subscribe', fresh: true }]];
    case 'status': {
      if (s.reading === 'refused') return [s, []];
      const status = input.status;
      const payload = JSON.stringify(status);
      // nothing goes on the account's subjects before the bus confirms its exchange user
      const confirmed = s.identity === 'ok';
      const effects: LinkEffect[] = [
        ...(confirmed ? [{ type: 'publish-status', payload } as const] : []),
        { type: 'emit', event: { type: 'status', account, status } },
      ];
      const held: LinkState = confirmed ? s : { ...s, heldStatus: payload };
      if (status.state === 'connected') {
        if (s.connectedOnce) effects.push({ type: 'count', fact: 'reconnected' });
        return [{ ...held, connectedOnce: true }, effects];
      }
      if (status.state !== 'subscribed') return [held, effects];
      const { failure: _cleared, ...rest } = held;
      const next: LinkState = { ...rest, channel: status.channel };
      if (s.identity !== 'unchecked') return [next, effects];
      return [
        { ...next, identity: 'checking' },
        [...effects, { type: 'check-identity', channel: status.channel }],
      ];
    }
    case 'update': {
      if (s.reading === 'refused' || s.stopping) return [s, []];
      const queue = [...s.queue, input.update];
      if (queue.length < s.maxBuffer || s.reading !== 'on') return pump({ ...s, queue }, []);
      return pump({ ...s, queue, reading: 'paused' }, [
        { type: 'unsubscribe' },
        { type: 'emit', event: { type: 'paused', account, buffered: queue.length } },
      ]);
    }
    case 'acked': {
      const [head, ...queue] = s.queue;
      if (!s.inFlight || head === undefined) return [s, []];
      const next: LinkState = {
        ...s,
        queue,
        inFlight: false,
        attempt: 0,
        store: reduceOrderState(s.store, head),
      };
      if (s.reading !== 'paused' || s.stopping || queue.length > s.maxBuffer / 2) return pump(next, []);
      return pump({ ...next, reading: 'on' }, [
        { type: 'emit', event: { type: 'resumed', account, buffered: queue.length } },
        { type: 'subscribe', fresh: false },
      ]);
    }
    case 'publish-failed': {
      const [head, ...queue] = s.queue;
      if (!s.inFlight || head === undefined) return [s, []];
      if (input.kind === 'refused') {
        const skipped = {
          type: 'skipped' as const,
          account,
          reason: input.reason,
          orderId: shownId(head.order.orderId),
          status: head.status,
        };
        return pump({ ...s, queue, inFlight: false, attempt: 0 }, [{ type: 'emit', event: skipped }]);
      }
      const attempt = s.attempt + 1;
      return [
        { ...s, inFlight: false, attempt, retrying: true },
        [
          { type: 'emit', event: { type: 'publish-retry', account, attempt, reason: input.reason } },
          { type: 'count', fact: 'retried' },
          { type: 'retry-later', attempt },
        ],
      ];
    }
    case 'retry-due':
      return pump({ ...s, retrying: false }, []);
    case 'source-failed':
      return sourceFailed(s, input.permanent, input.reason);
    case 'failed-status-due':
      return failedStatus(s);
    case 'resubscribe-due':
      if (s.stopping || s.reading !== 'waiting') return [s, []];
      return [{ ...s, reading: 'on' }, [{ type: 'subscribe', fresh: true }]];
    case 'identity':
      return identityAnswered(s, input.answer, input.reason);
    case 'identity-due':
      if (s.identity !== 'unchecked' || s.channel === undefined || s.reading === 'refused') return [s, []];
      return [{ ...s, identity: 'checking' }, [{ type: 'check-identity', channel: s.channel }]];
    case 'reconciled':
      return [
        s,
        [
          { type: 'count-reconciled', result: input.event.result },
          { type: 'emit', event: input.event },
        ],
      ];
    case 'bus-reset':
      return busReset(s, input.stream, input.identities);
    case 'stop': {
      if (s.stopping) return [s, []];
      const effects: LinkEffect[] = s.reading === 'on' ? [{ type: 'unsubscribe' }] : [];
      return pump({ ...s, stopping: true }, effects);
    }
  }
}

/** Publishes the head when nothing holds it back; says `drained` once stopping with nothing left. */
function pump(s: LinkState, effects: readonly LinkEffect[]): Result {
  const head = s.queue[0];
  if (head === undefined) return [s, s.stopping ? [...effects, { type: 'drained' }] : effects];
  if (s.inFlight || s.retrying || s.identity !== 'ok' || s.reading === 'refused') return [s, effects];
  return [{ ...s, inFlight: true }, [...effects, { type: 'publish', update: head }]];
}

function sourceFailed(s: LinkState, permanent: boolean, reason: string): Result {
  if (s.stopping || s.reading === 'refused') return [s, []];
  const waiting: LinkState = { ...s, reading: 'waiting' };
  if (!permanent)
    return [
      waiting,
      [
        { type: 'emit', event: { type: 'source-failed', account: s.account, reason } },
        { type: 'later', ms: s.sourceRetryMs, input: { type: 'resubscribe-due' } },
      ],
    ];
  const recheckInMs = s.recheckFailedMs;
  const said: LinkEffect[] =
    s.failure === reason
      ? []
      : [{ type: 'emit', event: { type: 'account-failed', account: s.account, reason, recheckInMs } }];
  const [failed, status] = failedStatus({ ...waiting, failure: reason });
  return [
    failed,
    [...said, ...status, { type: 'later', ms: recheckInMs, input: { type: 'resubscribe-due' } }],
  ];
}

/** While an account waits out a permanent failure: its status `failed`, said again every `sourceRetryMs`. */
function failedStatus(s: LinkState): Result {
  if (s.failure === undefined || s.reading !== 'waiting' || s.stopping) return [s, []];
  const status = { state: 'failed', reason: s.failure, recheckInMs: s.recheckFailedMs };
  return [
    s,
    [
      { type: 'publish-status', payload: JSON.stringify(status) },
      { type: 'later', ms: s.sourceRetryMs, input: { type: 'failed-status-due' } },
    ],
  ];
}

function identityAnswered(s: LinkState, answer: 'ok' | 'mismatch' | 'error', reason?: string): Result {
  if (s.identity !== 'checking') return [s, []];
  if (answer === 'ok') {
    const { heldStatus, ...rest } = s;
    const status: LinkEffect[] =
      heldStatus === undefined ? [] : [{ type: 'publish-status', payload: heldStatus }];
    return pump({ ...rest, identity: 'ok' }, status);
  }
  if (answer === 'error')
    return [
      { ...s, identity: 'unchecked' },
      [{ type: 'later', ms: s.sourceRetryMs, input: { type: 'identity-due' } }],
    ];
  const why =
    reason ??
    'the account name is bound to another exchange user on the bus: these credentials are not that user';
  const effects: LinkEffect[] = [
    ...(s.reading === 'on' ? [{ type: 'unsubscribe' } as const] : []),
    { type: 'emit', event: { type: 'identity-mismatch', account: s.account, reason: why } },
  ];
  const { heldStatus: _dropped, ...rest } = s;
  const refused: LinkState = {
    ...rest,
    identity: 'mismatch',
    reading: 'refused',
    queue: [],
    inFlight: false,
  };
  return [refused, s.stopping ? [...effects, { type: 'drained' }] : effects];
}

function busReset(s: LinkState, stream: boolean, identities: boolean): Result {
  if (s.reading === 'refused') return [s, []];
  const again = stream ? updatesOfStore(s.store) : [];
  const [head, ...rest] = s.queue;
  const queue = s.inFlight && head !== undefined ? [head, ...again, ...rest] : [...again, ...s.queue];
  const effects: LinkEffect[] = stream
    ? [{ type: 'emit', event: { type: 'republished', account: s.account, updates: again.length } }]
    : [];
  // the identity bucket came back empty: bind the account again before publishing more
  if (identities && s.checksIdentity && s.channel !== undefined && s.identity === 'ok')
    return pump({ ...s, queue, identity: 'checking' }, [
      ...effects,
      { type: 'check-identity', channel: s.channel },
    ]);
  return pump({ ...s, queue }, effects);
}
