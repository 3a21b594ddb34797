import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { Push } from '../../lib/protocol/codecs';
import { decodeLine, splitFrame } from '../../lib/protocol/frames';
import { encodeConnect, encodeRefresh, encodeSubscribe, PONG } from '../../lib/protocol/commands';

describe('commands', () => {
  it('encode with their id', () => {
    expect(encodeConnect(1, 't')).toBe('{"id":1,"connect":{"token":"t"}}');
    expect(encodeSubscribe(2, 'pws:#a')).toBe('{"id":2,"subscribe":{"channel":"pws:#a"}}');
    expect(encodeRefresh(3, 't2')).toBe('{"id":3,"refresh":{"token":"t2"}}');
    expect(PONG).toBe('{}');
  });
});

describe('decodeLine', () => {
  it('reads the connect reply of the reference doc', () => {
    const line =
      '{"id":1,"connect":{"client":"0f812879-fc64-482f-a220-eb1860c71189","version":"5.2.0","expires":true,"ttl":86133}}';
    expect(decodeLine(line)).toEqual({
      ok: true,
      message: {
        kind: 'reply',
        reply: {
          id: 1,
          connect: {
            client: '0f812879-fc64-482f-a220-eb1860c71189',
            version: '5.2.0',
            expires: true,
            ttl: 86133,
          },
        },
      },
    });
  });

  it('reads error replies, pushes and the empty ping', () => {
    expect(decodeLine('{"id":1,"error":{"code":109,"message":"token expired"}}')).toEqual({
      ok: true,
      message: { kind: 'reply', reply: { id: 1, error: { code: 109, message: 'token expired' } } },
    });
    expect(decodeLine('{"push":{"channel":"c","pub":{"data":[1]}}}')).toEqual({
      ok: true,
      message: { kind: 'push', push: { channel: 'c', pub: { data: [1] } } },
    });
    expect(decodeLine('{}')).toEqual({ ok: true, message: { kind: 'ping' } });
  });

  it.each([
    ['{oops', /^not JSON/],
    ['42', /^not a JSON object$/],
    ['[1]', /^not a JSON object$/],
    ['{"id":"x"}', /^Invalid value supplied to id$/],
    ['{"id":1,"error":{"code":"x","message":"m"}}', /^Invalid value supplied to error\/code$/],
    ['{"push":{"channel":5}}', /^Invalid value supplied to push\/channel$/],
    ['{"hello":1}', /^unknown message with fields hello$/],
  ])('reports %s with a readable reason', (raw, reason) => {
    const line = decodeLine(raw);
    expect(line.ok).toBe(false);
    if (!line.ok) {
      expect(line.invalid.raw).toBe(raw);
      expect(line.invalid.reason).toMatch(reason);
    }
  });
});

describe('splitFrame', () => {
  it('splits on newlines, skips empty lines, keeps good lines around a bad one, in order', () => {
    const lines = splitFrame('{}\n\n{bad\n{"push":{"channel":"c","pub":{"data":[]}}}\n');
    expect(lines.map((l) => (l.ok ? l.message.kind : `bad:${l.invalid.raw}`))).toEqual([
      'ping',
      'bad:{bad',
      'push',
    ]);
  });

  it('handles a frame without a newline and an empty frame', () => {
    expect(splitFrame('{}')).toHaveLength(1);
    expect(splitFrame('')).toEqual([]);
    expect(splitFrame('\n\n')).toEqual([]);
  });
});

describe('decodeLine on pushes (the hand-checked path)', () => {
  const field = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom('pws:#a', 3, null, [], {}),
  );
  const push = fc.record(
    {
      channel: field,
      pub: fc.oneof(field, fc.record({ data: field, offset: field }, { requiredKeys: [] })),
      disconnect: fc.oneof(fc.constant(undefined), fc.record({ code: field, reason: field })),
      extra: field,
    },
    { requiredKeys: [] },
  );

  it('accepts and returns exactly what the Push codec does (property)', () => {
    fc.assert(
      fc.property(push, (p) => {
        const raw = JSON.stringify({ push: p });
        const line = decodeLine(raw);
        const decoded = Push.decode(JSON.parse(raw));
        expect(line.ok).toBe(E.isRight(decoded));
        if (line.ok && E.isRight(decoded)) {
          // io-ts copies an object by assignment, so an own `__proto__` key (which JSON.parse
          // makes) becomes a prototype there and vanishes; the frame decoder keeps the
          // server's data as sent. Such a value is compared with what was sent.
          const expected = raw.includes('"__proto__"')
            ? (JSON.parse(raw) as { push: unknown }).push
            : decoded.right.push;
          expect(line.message).toEqual({ kind: 'push', push: expected });
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
