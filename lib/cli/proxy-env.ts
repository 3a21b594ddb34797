import type { ProxyConfig } from '../util/proxy';

/**
 * The proxy the command uses, from the standard variables: `HTTPS_PROXY` (or `https_proxy`)
 * and `NO_PROXY` (or `no_proxy`); `undefined` when no proxy is set. The exchange's URLs are all
 * `https:`/`wss:`, so `HTTP_PROXY` is not read. The library itself reads no variable: it takes
 * the `proxy` option.
 *
 * ## Example
 * ```ts
 * proxyFromEnv({ HTTPS_PROXY: 'http://proxy.lan:3128', NO_PROXY: 'localhost' });
 * // { url: 'http://proxy.lan:3128', noProxy: 'localhost' }
 * ```
 * @internal
 */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxyConfig | undefined {
  const url = env['HTTPS_PROXY'] || env['https_proxy'] || '';
  if (url === '') return undefined;
  const noProxy = env['NO_PROXY'] || env['no_proxy'] || '';
  return noProxy === '' ? { url } : { url, noProxy };
}
