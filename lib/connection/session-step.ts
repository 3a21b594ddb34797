import { encodeConnect, encodeRefresh, encodeSubscribe, PONG } from '../protocol/commands';
import type { ConnectResult, RefreshResult, Reply, ReplyError } from '../protocol/codecs';
import { splitFrame, type ServerMessage } from '../protocol/frames';
import type { Step as MachineStep } from '../util/machine';
import { redactSecrets } from '../util/redact';
import { refreshDelayMs } from './refresh-delay';
import { SessionEnd, endFromCode, endFromTokenError } from './session-end';
import type {
  Command,
  SessionConfig,
  SessionEffect,
  SessionEvent,
  SessionState,
  Step,
  TimerKey,
} from './session-state';
import type { ConnectionStatus } from './types';

export type { Command, SessionConfig, SessionEffect, SessionEvent, SessionState, Step, TimerKey };
export { initialSession } from './session-state';

const status = (s: ConnectionStatus): SessionEffect => ({
  type: 'emit',
  message: { type: 'status', status: s },
});

/**
 * The transition of a socket's life, with its configuration closed over: the
 * `(state, event) → [state, effects]` shape every lifecycle here has (`lib/util/machine.ts`).
 * One transition: connect on open, subscribe once connected, relay
 * publications, answer `{}` in app-ping mode (never in frame-ping mode), refresh before the
 * token runs out, and end — with a {@link SessionEnd} saying why — on a close, a refused
 * command, a missing reply or silence. Pure: the shell performs the effects.
 *
 * ```text
 * open → send connect            connect reply → emit connected, send subscribe, start timers
 * frame → touch, per line …      timer(refresh) → fetch-token → token → send refresh
 * ```
 *
 * ## Example
 * ```ts
 * const [next, effects] = sessionStep(config)(initialSession(0), { type: 'open' });
 * // effects: send {"id":1,"connect":{...}}, start-timer reply:1
 * ```
 * @internal
 */
export function sessionStep(config: SessionConfig): MachineStep<SessionState, SessionEvent, SessionEffect> {
  return (state, event) => transition(state, event, config);
}

function transition(state: SessionState, event: SessionEvent, config: SessionConfig): Step {
  if (state.ended) return [state, []];
  switch (event.type) {
    case 'open':
      return request(state, 'connect', (id) => encodeConnect(id, config.token.connToken), config);
    case 'ping':
      return [{ ...state, lastSeen: event.now }, []];
    case 'frame':
      return onFrame({ ...state, lastSeen: event.now }, event.text, config);
    case 'socket-error':
      return [{ ...state, lastError: event.message }, []];
    case 'close':
      return end(state, endFromCode(event.code, cleaned(event.reason || state.lastError, config)));
    case 'timer':
      return onTimer(state, event.timer, event.now, config);
    case 'token': {
      const tokenMs = state.tokenAskedAt === undefined ? state.tokenMs : event.now - state.tokenAskedAt;
      const next = { ...state, tokenMs, tokenAskedAt: undefined };
      return request(next, 'refresh', (id) => encodeRefresh(id, event.token.connToken), config);
    }
    case 'token-failed':
      return end(state, endFromTokenError(event.error, 'token refresh'));
  }
}

/** Server text on its way into a reason: no token, nothing shaped like a secret. */
function cleaned(text: string, config: SessionConfig): string {
  return redactSecrets(text, [config.token.connToken]);
}

function end(state: SessionState, reason: SessionEnd): Step {
  return [{ ...state, ended: true }, [{ type: 'end', end: reason }]];
}

function request(
  state: SessionState,
  what: Command,
  encode: (id: number) => string,
  config: SessionConfig,
): Step {
  const id = state.nextId;
  const pending = new Map(state.pending).set(id, what);
  return [
    { ...state, nextId: id + 1, pending },
    [
      { type: 'start-timer', timer: `reply:${id}`, delayMs: config.requestTimeoutMs },
      { type: 'send', text: encode(id) },
    ],
  ];
}

function onTimer(state: SessionState, timer: TimerKey, now: number, config: SessionConfig): Step {
  if (timer === 'refresh') return [{ ...state, tokenAskedAt: now }, [{ type: 'fetch-token' }]];
  if (timer === 'liveness') {
    const idle = now - state.lastSeen;
    if (idle >= state.livenessMs) {
      const why = `no frame or ping within ${state.livenessMs} ms`;
      return end(state, new SessionEnd('reconnect', 'server', undefined, why));
    }
    return [state, [{ type: 'start-timer', timer: 'liveness', delayMs: state.livenessMs - idle }]];
  }
  const what = state.pending.get(Number(timer.slice('reply:'.length)));
  if (what === undefined) return [state, []];
  const why = `${what} got no reply within ${config.requestTimeoutMs} ms`;
  return end(state, new SessionEnd('reconnect', 'server', undefined, why));
}

function onFrame(state: SessionState, text: string, config: SessionConfig): Step {
  let current = state;
  const effects: SessionEffect[] = [];
  for (const line of splitFrame(text)) {
    if (current.ended) break;
    if (!line.ok) {
      effects.push({ type: 'invalid', problem: line.invalid });
      continue;
    }
    // A publication (nearly every line) is relayed as onMessage would, without its Step.
    const push = line.message.kind === 'push' ? line.message.push : undefined;
    if (push && !push.disconnect && push.pub && typeof push.channel === 'string') {
      effects.push({
        type: 'emit',
        message: { type: 'publication', channel: push.channel, data: push.pub.data },
      });
      continue;
    }
    const [next, more] = onMessage(current, line.message, config);
    current = next;
    for (const effect of more) effects.push(effect);
  }
  return [current, effects];
}

function onMessage(state: SessionState, message: ServerMessage, config: SessionConfig): Step {
  if (message.kind === 'ping') return [state, state.answerPings ? [{ type: 'send', text: PONG }] : []];
  if (message.kind === 'reply') return onReply(state, message.reply, config);
  const { push } = message;
  if (push.disconnect) {
    return end(state, endFromCode(push.disconnect.code, cleaned(push.disconnect.reason ?? '', config)));
  }
  if (push.pub && typeof push.channel === 'string') {
    return [
      state,
      [{ type: 'emit', message: { type: 'publication', channel: push.channel, data: push.pub.data } }],
    ];
  }
  return [state, []];
}

function onReply(state: SessionState, reply: Reply, config: SessionConfig): Step {
  const what = state.pending.get(reply.id);
  if (what === undefined) {
    const problem = {
      raw: JSON.stringify({ id: reply.id }),
      reason: `reply to unknown command id ${reply.id}`,
    };
    return [state, [{ type: 'invalid', problem }]];
  }
  const pending = new Map(state.pending);
  pending.delete(reply.id);
  const answered: SessionState = { ...state, pending };
  const cancel: SessionEffect = { type: 'cancel-timer', timer: `reply:${reply.id}` };
  const [next, effects] = reply.error
    ? refused(answered, what, reply.error, config)
    : what === 'connect'
      ? reply.connect
        ? connected(answered, reply.connect, config)
        : end(answered, new SessionEnd('reconnect', 'protocol', undefined, 'connect reply without a result'))
      : what === 'subscribe'
        ? ([answered, [status({ state: 'subscribed', channel: config.token.channel })]] as const)
        : refreshed(answered, reply.refresh ?? {}, config);
  return [next, [cancel, ...effects]];
}

function refused(state: SessionState, what: Command, error: ReplyError, config: SessionConfig): Step {
  const reason = `${what} refused: ${cleaned(error.message, config)} (${error.code})`;
  const result = endFromCode(error.code, reason, error.temporary === true);
  // A refused refresh falls back to a reconnect with a new token.
  return end(
    state,
    what === 'refresh' && result.action === 'terminal'
      ? new SessionEnd('reconnect', result.kind, error.code, reason)
      : result,
  );
}

const ttlOf = (result: { expires?: boolean; ttl?: number }): number | undefined =>
  result.expires && result.ttl !== undefined ? result.ttl : undefined;

function refreshTimer(state: SessionState, ttl: number | undefined, config: SessionConfig): SessionEffect[] {
  if (ttl === undefined) return [];
  return [
    { type: 'start-timer', timer: 'refresh', delayMs: refreshDelayMs(ttl, state.tokenMs, config.refresh) },
  ];
}

function connected(state: SessionState, result: ConnectResult, config: SessionConfig): Step {
  const ttl = ttlOf(result);
  const intervalMs =
    result.ping !== undefined && result.ping > 0 ? result.ping * 1000 : config.pingIntervalMs;
  const livenessMs = intervalMs + config.pingTimeoutMs;
  const live: SessionState = { ...state, answerPings: result.pong === true, livenessMs };
  const [next, subscribe] = request(
    live,
    'subscribe',
    (id) => encodeSubscribe(id, config.token.channel),
    config,
  );
  return [
    next,
    [
      status(
        ttl === undefined
          ? { state: 'connected', client: result.client }
          : { state: 'connected', client: result.client, ttl },
      ),
      { type: 'start-timer', timer: 'liveness', delayMs: livenessMs },
      ...refreshTimer(state, ttl, config),
      ...subscribe,
    ],
  ];
}

function refreshed(state: SessionState, result: RefreshResult, config: SessionConfig): Step {
  const ttl = ttlOf(result);
  return [
    state,
    [
      status(ttl === undefined ? { state: 'refreshed' } : { state: 'refreshed', ttl }),
      ...refreshTimer(state, ttl, config),
    ],
  ];
}
