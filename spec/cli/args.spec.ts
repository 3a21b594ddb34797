import { HELP, OPTIONS, UsageError, parseCommand } from '../../lib/cli/args';

describe('parseCommand', () => {
  it('--help names every option', () => {
    for (const name of Object.keys(OPTIONS)) expect(HELP).toContain(`--${name}`);
  });

  it.each(['0x10', '1e400', 'Infinity', '', ' 5', '-1', '5s', 'NaN', '0b1'])(
    '--duration=%j is a usage error',
    (raw) => {
      expect(() => parseCommand(['demo', `--duration=${raw}`])).toThrow(UsageError);
    },
  );

  it.each([
    ['12', 12],
    ['0.5', 0.5],
    ['1e-3', 0.001],
    ['0', 0],
  ])('--duration=%s is %d', (raw, value) => {
    expect(parseCommand(['demo', `--duration=${raw}`])).toMatchObject({ kind: 'demo', durationS: value });
  });

  it('demo ends by itself by default and accepts --record', () => {
    const c = parseCommand(['demo', '--record', 'x.ndjson']);
    expect(c).toMatchObject({ kind: 'demo', record: 'x.ndjson' });
    expect(c.kind === 'demo' && c.durationS > 0 && c.durationS <= 60).toBe(true);
  });

  it('replay --speed 1e-300 is allowed (waits are clamped)', () => {
    expect(parseCommand(['replay', 'f', '--speed', '1e-300'])).toMatchObject({
      kind: 'replay',
      speed: 1e-300,
    });
  });
});
