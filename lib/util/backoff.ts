/**
 * Full-jitter backoff: `min(max, min + random(0, min(max, min · 2^step)))`.
 * `step` counts failed attempts from 0.
 *
 * ```text
 * step 0: 500..1000 ms   step 1: 500..1500 ms   step 5+: 500..20000 ms (min 500, max 20000)
 * ```
 *
 * @example
 * ```ts
 * backoff(0, 500, 20_000, () => 0.5); // 750
 * ```
 * @param random - a source of numbers in [0, 1) (default `Math.random`)
 */
export function backoff(
  step: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const capped = Math.min(Math.max(step, 0), 31);
  const span = Math.min(maxMs, minMs * 2 ** capped);
  return Math.min(maxMs, minMs + Math.floor(random() * (span + 1)));
}
