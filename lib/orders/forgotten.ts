/**
 * The ids the store evicted and must keep ignoring, at most `max` of them, oldest dropped
 * first: an immutable set with O(1) add, drop and lookup.
 *
 * A version is a window `[head, tail)` of sequence numbers over an append-only log shared
 * by the versions of one lineage. The lineage keeps one `Map` from id to sequence number
 * holding only the ids of its newest window (those that drop out are deleted from it, so
 * it stays the size of a plain `Set`). The newest version answers from that `Map` alone;
 * an older version whose window reaches below what was pruned answers from a set of its
 * own window, made once and cached. A version appends in place only when it is the
 * newest of its lineage and the id is not in its window; otherwise (a branch, a deep-frozen
 * lineage) it copies its window into a new lineage first. So no version ever sees its
 * answer change.
 *
 * @module
 */

/** What the versions of one lineage share. @internal */
interface Lineage {
  /** Sequence number of each id of the newest window. */
  readonly seqOf: Map<string, number>;
  /** Ids with a smaller sequence number may have left `seqOf`. */
  prunedTo: number;
  /** The newest version's log and tail: only that version appends in place. */
  log: Log;
  tail: number;
}

/** A stretch of the log (compaction starts a new one; older versions keep theirs). @internal */
interface Log {
  readonly ids: string[];
  /** Sequence number of `ids[0]`. */
  readonly base: number;
  readonly lineage: Lineage;
}

/**
 * One version of the set. The shared log sits in a private field, so a snapshot
 * deep-frozen by its user (`Object.freeze` over its own keys) never reaches it and never
 * forces a copy per eviction. @internal
 */
export class ForgottenIds {
  readonly #log: Log;
  /** The sequence number of this version's oldest id. */
  declare readonly head: number;
  /** One past the sequence number of its newest id. */
  declare readonly tail: number;
  // `declare`d and set here: plain stores, not field definitions per version.
  constructor(log: Log, head: number, tail: number) {
    this.#log = log;
    this.head = head;
    this.tail = tail;
  }
  /** The stretch of the shared log this version reads. */
  get log(): Log {
    return this.#log;
  }
}

function lineageOf(ids: string[], base: number): Log {
  const seqOf = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) seqOf.set(ids[i] as string, base + i);
  const lineage: Lineage = {
    seqOf,
    prunedTo: base,
    log: undefined as unknown as Log,
    tail: base + ids.length,
  };
  const log: Log = { ids, base, lineage };
  lineage.log = log;
  return log;
}

/** The empty set (its log frozen: never appended to in place). @internal */
export const NO_FORGOTTEN = new ForgottenIds(lineageOf([], 0), 0, 0);
Object.freeze(NO_FORGOTTEN);
Object.freeze(NO_FORGOTTEN.log.ids);
Object.freeze(NO_FORGOTTEN.log.lineage);

/** How many ids the set holds. @internal */
export const forgottenCount = (f: ForgottenIds): number => f.tail - f.head;

/** The whole window of an older version whose ids began to leave its lineage's `Map`. */
const stale = new WeakMap<ForgottenIds, ReadonlySet<string>>();

/** Whether `id` is in the set. @internal */
export function isForgotten(f: ForgottenIds, id: string): boolean {
  if (f.tail === f.head) return false;
  const lineage = f.log.lineage;
  const seq = lineage.seqOf.get(id);
  if (seq !== undefined && seq >= f.head && seq < f.tail) return true;
  if (f.head >= lineage.prunedTo) return false;
  // An older version: ids of its window may have left the `Map` (and more will), so it
  // answers from a set of its whole window, made once.
  let window = stale.get(f);
  if (window === undefined) {
    window = new Set(forgottenIds(f));
    stale.set(f, window);
  }
  return window.has(id);
}

/** The ids of the set, oldest first. @internal */
export function forgottenIds(f: ForgottenIds): string[] {
  return f.log.ids.slice(f.head - f.log.base, f.tail - f.log.base);
}

/**
 * The set with `id` added and, beyond `max` ids, the oldest dropped. An `id` already in the
 * set moves to the newest place (the store never does that: it forgets only ids it
 * tracked, and it never tracks one it ignores). @internal
 */
export function forget(f: ForgottenIds, id: string, max: number): ForgottenIds {
  if (max <= 0) return f;
  let log = f.log;
  let lineage = log.lineage;
  let head = f.head;
  const seqOf = lineage.seqOf;
  let appended = false;
  if (
    lineage.log === log &&
    lineage.tail === f.tail &&
    Object.isExtensible(lineage) &&
    Object.isExtensible(log.ids)
  ) {
    // The newest version: one `set` both adds and tells whether `id` was there already.
    const size = seqOf.size;
    seqOf.set(id, f.tail);
    appended = seqOf.size !== size;
    // It was: give it its old place back, and branch below.
    if (!appended) seqOf.set(id, log.ids.lastIndexOf(id, f.tail - 1 - log.base) + log.base);
  }
  if (!appended) {
    const ids = isForgotten(f, id) ? forgottenIds(f).filter((x) => x !== id) : forgottenIds(f);
    head = f.tail - ids.length;
    log = lineageOf(ids, head);
    lineage = log.lineage;
    lineage.seqOf.set(id, f.tail);
  }
  const tail = f.tail + 1;
  log.ids.push(id);
  lineage.tail = tail;
  if (tail - head > max) {
    // Drop the oldest from the `Map`. A window never holds an id twice (see above), so
    // each entry dropped is exactly this one.
    const to = tail - max;
    for (let seq = head; seq < to; seq++) lineage.seqOf.delete(log.ids[seq - log.base] as string);
    head = to;
    lineage.prunedTo = head;
  }
  // Now and then a fresh stretch of the window only (older versions keep theirs): amortised O(1).
  if (head - log.base >= 1024 && head - log.base >= tail - head) {
    log = { ids: log.ids.slice(head - log.base, tail - log.base), base: head, lineage };
    lineage.log = log;
  }
  return new ForgottenIds(log, head, tail);
}
