/**
 * Where one Indodax environment lives: the REST host that serves the token
 * endpoint and the legacy `/tapi`, the private WebSocket, and the Trade API v2 host.
 *
 * @example
 * ```ts
 * import { environments, requestToken } from 'indodax-pws';
 * const token$ = requestToken(credentials, { environment: environments.demo });
 * ```
 */
export interface Environment {
  /** Serves `POST /api/private_ws/v1/generate_token` and the legacy `POST /tapi`. */
  readonly restBaseUrl: string;
  /** The private WebSocket; keeps `?cf_ws_frame_ping_pong=true` as the exchange documents. */
  readonly wsUrl: string;
  /** Serves the Trade API v2 (`/api/v2/...`), "tapi" flavor. */
  readonly tapiV2BaseUrl: string;
}

/**
 * The two environments the exchange documents.
 *
 * - `production`: `https://indodax.com`, `wss://pws.indodax.com/ws/?cf_ws_frame_ping_pong=true`,
 *   `https://tapi.indodax.com`. (`https://btcapi.net` also serves production for whitelisted hosts:
 *   pass it as `restBaseUrl`.)
 * - `demo`: `https://demo-indodax.com`, `wss://pws.demo-indodax.com/ws/?cf_ws_frame_ping_pong=true`.
 *
 * @example
 * ```ts
 * const { wsUrl } = environments.production;
 * ```
 */
export const environments: { readonly production: Environment; readonly demo: Environment } = {
  production: {
    restBaseUrl: 'https://indodax.com',
    wsUrl: 'wss://pws.indodax.com/ws/?cf_ws_frame_ping_pong=true',
    tapiV2BaseUrl: 'https://tapi.indodax.com',
  },
  demo: {
    restBaseUrl: 'https://demo-indodax.com',
    wsUrl: 'wss://pws.demo-indodax.com/ws/?cf_ws_frame_ping_pong=true',
    // The docs name no demo host for the v2 trade API; the demo REST host is the best guess.
    tapiV2BaseUrl: 'https://tapi.demo-indodax.com',
  },
};
