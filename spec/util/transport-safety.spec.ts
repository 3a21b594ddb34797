import fc from 'fast-check';
import { describeNetworkFailure } from '../../lib/util/network-failure';
import { redactSecrets } from '../../lib/util/redact';
import { insecureTransport, isLoopbackHost } from '../../lib/util/transport-security';

describe('isLoopbackHost / insecureTransport', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.1.2', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['localhost.example.com', false],
    ['127.0.0.1.nip.io', false],
    ['[::ffff:7f00:1]', false],
    ['indodax.com', false],
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    ['https://indodax.com', false, undefined],
    ['wss://pws.indodax.com/ws/', false, undefined],
    ['http://127.1:8080', false, undefined], // URL normalises it to 127.0.0.1
    ['http://2130706433/', false, undefined], // 127.0.0.1 as one number
    ['http://indodax.com/x?y', false, 'http://indodax.com'],
    ['ws://10.0.0.5:9000/ws', false, 'ws://10.0.0.5:9000'],
    ['HTTP://Indodax.COM', false, 'http://indodax.com'],
    ['http://indodax.com', true, undefined],
    ['not a url', false, undefined],
  ])('%s (allow %s) → %s', (url, allow, origin) => {
    expect(insecureTransport(url, 'x', allow)?.origin).toBe(origin);
  });
});

describe('redactSecrets', () => {
  it('removes JWTs, 64/128-hex signatures, TAPI-key shapes and the known values', () => {
    const text =
      'key ABCD1234-EFGH5678-IJKL9012-MNOP3456-QRST7890, sign ' +
      'a'.repeat(128) +
      ', v2 ' +
      'b'.repeat(64) +
      ', jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln, mine my-own-key-1, short abc, order 12345';
    expect(redactSecrets(text, ['my-own-key-1', 'abc'])).toBe(
      'key [redacted], sign [redacted], v2 [redacted], jwt [redacted], mine [redacted], short abc, order 12345',
    );
  });

  it('property: a hex Sign of 64 or 128 characters never survives, whatever surrounds it', () => {
    const hex = (n: number) =>
      fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.string(), fc.oneof(hex(64), hex(128)), fc.string(), (before, sign, after) => {
        expect(redactSecrets(`${before} ${sign} ${after}`, [sign])).not.toContain(sign);
      }),
    );
  });
});

describe('describeNetworkFailure', () => {
  const fetchFailed = (cause?: unknown) =>
    new TypeError('fetch failed', cause === undefined ? undefined : { cause });
  it.each([
    [
      fetchFailed({ code: 'ENOTFOUND', hostname: 'indodax.com' }),
      'ENOTFOUND indodax.com (the host name does not resolve)',
    ],
    [
      fetchFailed({ code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }),
      'ECONNREFUSED 127.0.0.1:9 (nothing listens there)',
    ],
    [
      fetchFailed(Object.assign(new AggregateError([{ code: 'ECONNREFUSED', address: '::1', port: 9 }]), {})),
      'ECONNREFUSED ::1:9 (nothing listens there)',
    ],
    [
      fetchFailed({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }),
      'ERR_TLS_CERT_ALTNAME_INVALID h.example (TLS: the certificate does not name this host)',
    ],
    [fetchFailed({ code: 'EWHATEVER' }), 'EWHATEVER h.example'],
    [fetchFailed(), 'fetch failed'],
    ['a string', 'a string'],
  ])('%#: %s', (error, expected) => {
    expect(describeNetworkFailure(error, 'https://h.example/x')).toBe(expected);
  });
});
