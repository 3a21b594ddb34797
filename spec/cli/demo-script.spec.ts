import { demoSteps, type DemoStep } from '../../lib/cli/demo-script';
import { seededRandom } from '../../lib/util/random';

function take(steps: Iterator<DemoStep>, n: number): DemoStep[] {
  const out: DemoStep[] = [];
  for (let i = 0; i < n; i++) {
    const r = steps.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('demoSteps', () => {
  it('runs for ever lazily, in time order, with order and trade ids that never repeat across rounds', () => {
    const steps = take(demoSteps(seededRandom(7), { roundMs: 5_000, rounds: Infinity }), 20_000);
    expect(steps).toHaveLength(20_000);
    const last = steps[steps.length - 1] as DemoStep;
    expect(last.at).toBeGreaterThan(50 * 5_000); // many rounds
    for (let i = 1; i < steps.length; i++) {
      expect((steps[i] as DemoStep).at).toBeGreaterThanOrEqual((steps[i - 1] as DemoStep).at);
    }
    const placed = steps.flatMap((s) => (s.kind === 'place' ? [s.order.orderId] : []));
    expect(new Set(placed).size).toBe(placed.length);
    const trades = steps.flatMap((s) => (s.kind === 'fill' ? [s.tradeId] : []));
    expect(new Set(trades).size).toBe(trades.length);
    // Every order a step names was placed before it.
    const seen = new Set<string>();
    for (const s of steps) {
      if (s.kind === 'place') seen.add(s.order.orderId);
      else if (s.kind !== 'fault') expect(seen.has(s.order.orderId)).toBe(true);
    }
  });

  it('every round shows every fault; one round ends', () => {
    const steps = [...demoSteps(seededRandom(1), { roundMs: 10_000, rounds: 3 })];
    const faults = steps.filter((s) => s.kind === 'fault');
    expect(faults).toHaveLength(15);
    expect(Math.max(...steps.map((s) => s.at))).toBeLessThanOrEqual(30_000);
  });

  it('the same seed gives the same script', () => {
    const a = [...demoSteps(seededRandom(3), { roundMs: 8_000 })];
    const b = [...demoSteps(seededRandom(3), { roundMs: 8_000 })];
    expect(a).toEqual(b);
  });
});
