import { signRequestBody } from '../../lib/auth/sign';

// Vectors computed independently with Python: hmac.new(secret, body, hashlib.sha512).hexdigest()
describe('signRequestBody', () => {
  it('is the hex HMAC-SHA512 of the exact body', () => {
    expect(signRequestBody('client=tapi&tapi_key=KEY123', 'secret-abc')).toBe(
      '81b73fa650d3ffeacaf7b3413762c9c511dcddc35eeeea08e169ae1954e290b8a4d00008cbe30d666917e926c94138126956020583671f3cd4c7957d4cae2590',
    );
  });

  it('signs UTF-8 bytes of secret and body', () => {
    expect(signRequestBody('client=tapi&tapi_key=k%C3%BC', 'rahasia-ü')).toBe(
      '84fd6c1b09f17e454aab601cb10bef12c01c39a4dfffedec3f382d9a8a393b8b1fa565a64d184a736e72cfd8a8fa876ba8c3d7a1d6916341453c83c9e04dd2fe',
    );
  });

  it('changes with any byte of the body', () => {
    expect(signRequestBody('client=tapi&tapi_key=KEY124', 'secret-abc')).not.toBe(
      signRequestBody('client=tapi&tapi_key=KEY123', 'secret-abc'),
    );
  });
});
