/**
 * Client → server commands of the Centrifugo v5 JSON protocol, as pure encoders.
 * Every command carries an `id`; the reply repeats it.
 */

/** `{"id":1,"connect":{"token":"..."}}`: must be the first command on a socket. */
export function encodeConnect(id: number, token: string): string {
  return JSON.stringify({ id, connect: { token } });
}

/** `{"id":2,"subscribe":{"channel":"pws:#..."}}` */
export function encodeSubscribe(id: number, channel: string): string {
  return JSON.stringify({ id, subscribe: { channel } });
}

/** `{"id":3,"refresh":{"token":"..."}}`: replaces the connection's token before it expires. */
export function encodeRefresh(id: number, token: string): string {
  return JSON.stringify({ id, refresh: { token } });
}

/**
 * The pong of the app-level heartbeat: `{}`. Send it ONLY in answer to a server `{}`;
 * an unsolicited one makes the real server close with 3501 (terminal).
 */
export const PONG = '{}';
