import fc from 'fast-check';

describe('fast-check setup (spec/fast-check.setup.ts)', () => {
  it('generates arrays up to their maxLength, not only about 10 items', () => {
    const longest = Math.max(...fc.sample(fc.array(fc.nat(), { maxLength: 200 }), 100).map((a) => a.length));
    expect(longest).toBeGreaterThan(50);
  });
});
