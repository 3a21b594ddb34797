import { BusPublishError, publishFailureKind, refusalOf } from '../../lib/bridge/publish-errors';
import { identityKey, isHeaderSafe, shownId } from '../../lib/bus/names';

const named = (name: string, code?: number): Error =>
  Object.assign(new Error('whatever the text says'), { name, ...(code === undefined ? {} : { code }) });

describe('publishFailureKind (by class name and JetStream code, never by message text)', () => {
  it.each([
    { name: 'a BusPublishError keeps its kind', error: new BusPublishError('refused', 'x'), kind: 'refused' },
    {
      name: 'InvalidArgumentError (header, max_payload): refused',
      error: named('InvalidArgumentError'),
      kind: 'refused',
    },
    {
      name: 'JetStreamNotEnabled (no stream takes the subject): lost',
      error: named('JetStreamNotEnabled'),
      kind: 'lost',
    },
    {
      name: 'JetStreamApiError 10059 stream not found: lost',
      error: named('JetStreamApiError', 10059),
      kind: 'lost',
    },
    {
      name: 'JetStreamApiError 10039 JetStream not enabled: lost',
      error: named('JetStreamApiError', 10039),
      kind: 'lost',
    },
    {
      name: 'another JetStreamApiError: transient',
      error: named('JetStreamApiError', 10077),
      kind: 'transient',
    },
    { name: 'TimeoutError: transient', error: named('TimeoutError'), kind: 'transient' },
    {
      name: 'a message that mentions a stream not found is not read: transient',
      error: new Error('stream not found'),
      kind: 'transient',
    },
    { name: 'not an Error: transient', error: 'boom', kind: 'transient' },
  ])('$name', ({ error, kind }) => expect(publishFailureKind(error)).toBe(kind));
});

describe('refusalOf', () => {
  it.each([
    { name: 'a plain update', payload: '{}', msgId: 'a:1:NEW:0', max: 1_048_576, refused: false },
    { name: '\\r\\n in the id', payload: '{}', msgId: 'a:1\r\n:NEW:0', max: 1_048_576, refused: true },
    { name: 'NUL in the id', payload: '{}', msgId: 'a:\u0000:NEW:0', max: 1_048_576, refused: true },
    {
      name: 'an id over 256 characters',
      payload: '{}',
      msgId: 'x'.repeat(257),
      max: 1_048_576,
      refused: true,
    },
    {
      name: 'a payload over max_payload',
      payload: 'x'.repeat(2_000),
      msgId: 'a:1:NEW:0',
      max: 1_000,
      refused: true,
    },
    {
      name: 'max_payload unknown',
      payload: 'x'.repeat(2_000),
      msgId: 'a:1:NEW:0',
      max: undefined,
      refused: false,
    },
  ])('$name', ({ payload, msgId, max, refused }) =>
    expect(refusalOf(payload, msgId, max) !== undefined).toBe(refused),
  );
});

describe('bus names', () => {
  it('identityKey', () => expect(identityKey('acct0')).toBe('identity.acct0'));
  it.each([
    ['acct0:1:NEW:0', true],
    ['a\rb', false],
    ['a\u0085b', false],
  ])('isHeaderSafe(%j) is %s', (v, ok) => expect(isHeaderSafe(v)).toBe(ok));
  it('shownId escapes control characters and cuts long ids', () => {
    expect(shownId('a\r\nb')).toBe('a\\r\\nb');
    expect(shownId('x'.repeat(300))).toHaveLength(129);
  });
});
