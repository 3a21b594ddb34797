/**
 * The ids the store evicted and must keep ignoring, at most `max` of them, oldest dropped
 * first: an immutable set with O(1) add, drop and lookup. A version is a window
 * `[head, tail)` of sequence numbers over a log shared by the versions of one lineage;
 * `seqOf` maps each id of the log to its sequence number. A version appends in place only
 * at the tip of its log and only an id the log does not hold yet; otherwise (a branch, a
 * deep-frozen log, an id evicted again) it copies its window into a new log first. So no
 * version ever sees its answer change.
 *
 * @module
 */

/** The shared log. @internal */
interface Log {
  readonly ids: string[];
  /** Sequence number of `ids[0]`. */
  readonly base: number;
  readonly seqOf: Map<string, number>;
}

/** One version of the set. @internal */
export interface ForgottenIds {
  readonly log: Log;
  readonly head: number;
  readonly tail: number;
}

/** The empty set (never appended to in place). @internal */
export const NO_FORGOTTEN: ForgottenIds = Object.freeze({
  log: Object.freeze({
    ids: Object.freeze([]) as unknown as string[],
    base: 0,
    seqOf: new Map<string, number>(),
  }),
  head: 0,
  tail: 0,
});

/** How many ids the set holds. @internal */
export const forgottenCount = (f: ForgottenIds): number => f.tail - f.head;

/** Whether `id` is in the set. @internal */
export function isForgotten(f: ForgottenIds, id: string): boolean {
  if (f.tail === f.head) return false;
  const seq = f.log.seqOf.get(id);
  return seq !== undefined && seq >= f.head && seq < f.tail;
}

/** The ids of the set, oldest first. @internal */
export function forgottenIds(f: ForgottenIds): string[] {
  return f.log.ids.slice(f.head - f.log.base, f.tail - f.log.base);
}

function copy(f: ForgottenIds): Log {
  const ids = forgottenIds(f);
  const seqOf = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) seqOf.set(ids[i] as string, f.head + i);
  return { ids, base: f.head, seqOf };
}

/**
 * The set with `id` added and, beyond `max` ids, the oldest dropped. @internal
 */
export function forget(f: ForgottenIds, id: string, max: number): ForgottenIds {
  if (max <= 0) return f;
  const tip = f.log.base + f.log.ids.length === f.tail && Object.isExtensible(f.log.ids);
  const log = tip && !f.log.seqOf.has(id) ? f.log : copy(f);
  log.ids.push(id);
  log.seqOf.set(id, f.tail);
  let head = f.head;
  const tail = f.tail + 1;
  if (tail - head > max) head = tail - max;
  const next = { log, head, tail };
  // Now and then a fresh log of the window only (older versions keep theirs): amortised O(1).
  return head - log.base >= 1024 && head - log.base >= tail - head ? { log: copy(next), head, tail } : next;
}
