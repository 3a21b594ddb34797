import * as t from 'io-ts';

/** `{"code":109,"message":"token expired","temporary":false}` */
export const ReplyError = t.intersection(
  [t.type({ code: t.number, message: t.string }), t.partial({ temporary: t.boolean })],
  'ReplyError',
);
/** A reply error. */
export type ReplyError = t.TypeOf<typeof ReplyError>;

/** The result of `connect`. `ping`/`pong` appear only without `cf_ws_frame_ping_pong=true`. */
export const ConnectResult = t.intersection(
  [
    t.type({ client: t.string }),
    t.partial({
      version: t.string,
      expires: t.boolean,
      ttl: t.number,
      ping: t.number,
      pong: t.boolean,
    }),
  ],
  'ConnectResult',
);
/** The result of `connect`. */
export type ConnectResult = t.TypeOf<typeof ConnectResult>;

/** The result of `refresh`. */
export const RefreshResult = t.partial(
  { client: t.string, version: t.string, expires: t.boolean, ttl: t.number },
  'RefreshResult',
);
/** The result of `refresh`. */
export type RefreshResult = t.TypeOf<typeof RefreshResult>;

/** A reply to a command: the same `id`, then `error` or the command's result. */
export const Reply = t.intersection(
  [
    t.type({ id: t.number }),
    t.partial({
      error: ReplyError,
      connect: ConnectResult,
      subscribe: t.UnknownRecord,
      refresh: RefreshResult,
    }),
  ],
  'Reply',
);
/** A reply to a command. */
export type Reply = t.TypeOf<typeof Reply>;

/** A publication: `pub.data` is left raw for the layers above. */
export const Publication = t.intersection(
  [t.type({ data: t.unknown }), t.partial({ offset: t.number })],
  'Publication',
);

/** A server-initiated disconnect push (`{"push":{"disconnect":{"code":3005,"reason":"expired"}}}`). */
export const DisconnectPush = t.intersection(
  [t.type({ code: t.number }), t.partial({ reason: t.string, reconnect: t.boolean })],
  'DisconnectPush',
);

/** An asynchronous push: a publication on a channel, or another kind the client may ignore. */
export const Push = t.type(
  {
    push: t.intersection([
      t.partial({ channel: t.string, pub: Publication, disconnect: DisconnectPush }),
      t.UnknownRecord,
    ]),
  },
  'Push',
);
/** An asynchronous push. */
export type Push = t.TypeOf<typeof Push>;
