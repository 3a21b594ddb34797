/**
 * The part of a `fetch` response this library reads. The global `Response` fits.
 */
export interface FetchResponseLike {
  readonly status: number;
  readonly ok: boolean;
  text(): Promise<string>;
}

/** The request options this library passes to `fetch`. */
export interface FetchInitLike {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

/**
 * A `fetch`-compatible function; the global `fetch` of Node 20 fits. Inject your
 * own to add a proxy, logging or a test double.
 *
 * @example
 * ```ts
 * const fetch: FetchLike = (url, init) => globalThis.fetch(url, init);
 * ```
 */
export type FetchLike = (url: string, init: FetchInitLike) => Promise<FetchResponseLike>;

/** The global fetch, looked up when called so tests may replace it. @internal */
export const globalFetch: FetchLike = (url, init) => (globalThis.fetch as unknown as FetchLike)(url, init);

/** Joins a base URL and a path without doubling or losing the slash. @internal */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}
