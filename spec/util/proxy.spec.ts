import { proxyFor } from '../../lib/util/proxy';
import { proxyFromEnv } from '../../lib/cli/proxy-env';

describe('proxyFor', () => {
  const rows = [
    { name: 'no proxy', target: 'https://indodax.com/x', proxy: undefined, via: undefined },
    { name: 'a URL', target: 'https://indodax.com/x', proxy: 'http://p:3128', via: 'http://p:3128/' },
    { name: 'an empty URL', target: 'https://indodax.com/x', proxy: '', via: undefined },
    {
      name: 'noProxy names the host',
      target: 'wss://pws.indodax.com/ws/',
      proxy: { url: 'http://p:3128', noProxy: 'pws.indodax.com' },
      via: undefined,
    },
    {
      name: 'noProxy .domain covers subdomains',
      target: 'https://tapi.indodax.com/api',
      proxy: { url: 'http://p:3128', noProxy: 'localhost, .indodax.com' },
      via: undefined,
    },
    {
      name: 'noProxy domain covers subdomains, not look-alikes',
      target: 'https://notindodax.com/api',
      proxy: { url: 'http://p:3128', noProxy: 'indodax.com' },
      via: 'http://p:3128/',
    },
    {
      name: 'noProxy host:port matches only that port',
      target: 'https://indodax.com/x',
      proxy: { url: 'http://p:3128', noProxy: 'indodax.com:8443' },
      via: 'http://p:3128/',
    },
    {
      name: 'noProxy *',
      target: 'https://indodax.com/x',
      proxy: { url: 'http://p:3128', noProxy: '*' },
      via: undefined,
    },
    {
      name: 'noProxy IPv6 loopback',
      target: 'http://[::1]:9000/x',
      proxy: { url: 'http://p:3128', noProxy: '::1' },
      via: undefined,
    },
  ] as const;
  it.each(rows)('$name', ({ target, proxy, via }) => {
    expect(proxyFor(target, proxy)?.href).toBe(via);
  });

  it('refuses a URL that does not parse or is not http(s), never echoing its credentials', () => {
    expect(() => proxyFor('https://a.b', 'http://bob:pw@[x')).toThrow(TypeError);
    expect(() => proxyFor('https://a.b', 'http://bob:pw@[x')).not.toThrow(/pw/);
    expect(() => proxyFor('https://a.b', 'socks5://bob:pw@p:1080')).toThrow(
      /must be http: or https:, not socks5:/,
    );
  });
});

describe('proxyFromEnv', () => {
  const rows = [
    { name: 'nothing set', env: {}, want: undefined },
    { name: 'HTTPS_PROXY', env: { HTTPS_PROXY: 'http://p:1' }, want: { url: 'http://p:1' } },
    {
      name: 'lower case',
      env: { https_proxy: 'http://p:1', no_proxy: 'a' },
      want: { url: 'http://p:1', noProxy: 'a' },
    },
    { name: 'HTTP_PROXY alone is not read', env: { HTTP_PROXY: 'http://p:1' }, want: undefined },
  ];
  it.each(rows)('$name', ({ env, want }) => {
    expect(proxyFromEnv(env)).toEqual(want);
  });
});
