/**
 * An immutable FIFO of ids: the window `[head, tail)` of an append-only log shared by the
 * versions of one lineage. A push appends in place only when this version is the log's
 * tip (`tail === log.length`), else it copies its window first; so no version ever sees
 * its window change. The log sits in a private field, so a snapshot deep-frozen by its
 * user never reaches it and never forces a copy per change. @internal
 */
export class IdQueue {
  readonly #log: string[];
  /** The first id of this version's window. */
  declare readonly head: number;
  /** One past the last id of this version's window. */
  declare readonly tail: number;
  // `declare`d and set here: plain stores, not field definitions per push.
  constructor(log: string[], head: number, tail: number) {
    this.#log = log;
    this.head = head;
    this.tail = tail;
  }
  /** The shared log this version reads `[head, tail)` of. */
  get log(): string[] {
    return this.#log;
  }
}

/** Never appended to: the first push of every lineage copies it. */
const EMPTY_LOG: string[] = [];
/** The empty queue. @internal */
export const EMPTY_QUEUE = new IdQueue(EMPTY_LOG, 0, 0);

/** `q` with `id` appended. @internal */
export function push(q: IdQueue, id: string): IdQueue {
  // (A frozen log, e.g. a snapshot deep-frozen by its user, is copied like any other.)
  if (q.tail === q.log.length && q.log !== EMPTY_LOG && Object.isExtensible(q.log)) {
    q.log.push(id);
    return new IdQueue(q.log, q.head, q.tail + 1);
  }
  const log = q.log.slice(q.head, q.tail);
  log.push(id);
  return new IdQueue(log, 0, log.length);
}
