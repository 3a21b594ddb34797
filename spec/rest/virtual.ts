// Helpers for timing tests: a TestScheduler stepped one instant at a time, with the
// microtasks of a Promise-based fetch double drained between instants.
import { TestScheduler } from 'rxjs/testing';
import type { FetchInitLike } from '../../lib/util/fetch';
import type { RestResponseLike } from '../../lib/rest/request';

export function virtualScheduler(): TestScheduler {
  return new TestScheduler((a, b) => expect(a).toEqual(b));
}

const drain = () => new Promise<void>((r) => setImmediate(r));

/** Runs every action due up to `until` (virtual ms), letting Promises settle in between. */
export async function advance(s: TestScheduler, until: number): Promise<void> {
  for (;;) {
    await drain();
    const next = s.actions[0];
    if (!next || next.delay > until) break;
    s.maxFrames = next.delay;
    s.flush();
  }
  if (s.frame < until) s.frame = until;
  await drain();
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly date?: string;
  readonly retryAfter?: string;
}

export interface Call {
  readonly at: number;
  readonly url: string;
  readonly init: FetchInitLike;
}

/** A fetch double: answers from a script (or hangs on `'hang'`), recording when each call came. */
export function scriptedFetch(s: TestScheduler, script: (Answer | 'hang')[]) {
  const calls: Call[] = [];
  const fetch = (url: string, init: FetchInitLike): Promise<RestResponseLike> => {
    calls.push({ at: s.now(), url, init });
    const next = script.shift() ?? { status: 500, body: 'script ended' };
    if (next === 'hang') return new Promise(() => undefined);
    return Promise.resolve({
      status: next.status,
      ok: next.status >= 200 && next.status < 300,
      text: () => Promise.resolve(next.body),
      headers: {
        get: (name: string) =>
          name.toLowerCase() === 'date'
            ? (next.date ?? null)
            : name.toLowerCase() === 'retry-after'
              ? (next.retryAfter ?? null)
              : null,
      },
    });
  };
  return { fetch, calls };
}

export const json = (status: number, body: unknown, date?: string): Answer => ({
  status,
  body: JSON.stringify(body),
  ...(date ? { date } : {}),
});
