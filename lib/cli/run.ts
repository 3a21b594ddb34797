import {
  asyncScheduler,
  filter,
  ignoreElements,
  map,
  merge,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { PrivateClient } from '../client';
import { ChannelError, type ChannelMessage } from '../connection/types';
import type { OrderStateSnapshot } from '../orders';
import { safeTimer } from '../util/safe-timer';
import { invalidEvent, snapshotJson, type CliEvent } from './events';
import type { Recorder } from './record';
import type { Out, Sink } from './sink';

/** How a run ends. @internal */
export interface RunControls {
  /** Stop cleanly after this many seconds. */
  readonly durationS?: number;
  /** Writes what arrived. */
  readonly recorder?: Recorder;
  /** Fires when the user asks to stop (Ctrl-C); returns an unregister function. */
  readonly onStop: (stop: () => void) => () => void;
  /** Events of the run itself (e.g. the demo's narration). */
  readonly notes$?: Observable<string>;
  /** A last word before the final snapshot (the demo checks the store against the exchange). */
  readonly finalCheck?: (snapshot: OrderStateSnapshot | undefined) => string;
  /** The exit code when the source ends by itself (default 0). */
  readonly exitCodeAtEnd?: () => number;
  /** A closing line (the replay's counts): in the view's last frame, or on stderr under --json. */
  readonly summary?: () => string;
  /** Runs the --duration timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  readonly stderr: Out;
}

/** A terminal failure in one line, never a secret. @internal */
export function failureText(error: unknown): string {
  return error instanceof ChannelError
    ? `${error.kind} failure${error.code === undefined ? '' : ` (code ${error.code})`}: ${error.reason}`
    : error instanceof Error
      ? error.message
      : String(error);
}

/**
 * Runs the client's streams into a sink until the duration ends, the user stops, the
 * store's stream completes (the source ended: exit 0) or a terminal failure (exit 1: the
 * view's last frame shows it, and its message goes to stderr). The last event written is
 * always the final snapshot.
 * @internal
 */
export function runClient(
  client: Omit<PrivateClient, 'reconciliation$' | 'close' | 'health$'> &
    Partial<Pick<PrivateClient, 'reconciliation$'>>,
  sink: Sink,
  controls: RunControls,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let latest: OrderStateSnapshot | undefined;
    let done = false;
    let started = false;
    let pendingEnd: number | undefined;
    let failure: string | undefined;
    const events$: Observable<CliEvent> = merge(
      client.messages$.pipe(
        tap((m) => controls.recorder?.message(m)),
        filter((m): m is Extract<ChannelMessage, { type: 'status' }> => m.type === 'status'),
        map((m): CliEvent => ({ type: 'status', status: m.status })),
      ),
      client.orderUpdates$.pipe(
        tap((u) => {
          if (u.source === 'rest') controls.recorder?.restUpdate(u);
        }),
        map((update): CliEvent => ({ type: 'order_update', update })),
      ),
      client.invalid$.pipe(
        tap((p) => {
          // A frame line never became a message: keep its raw text so a replay shows it too.
          if (p.reason.startsWith('frame: ') && typeof p.raw === 'string') {
            controls.recorder?.badFrame(p.raw, p.reason.slice('frame: '.length));
          }
        }),
        map(invalidEvent),
      ),
      client.orders$.pipe(
        tap({
          next: (s) => {
            latest = s;
            sink.orders?.(s);
          },
          // The store's stream ends when its source does: nothing more can happen.
          complete: () => end(controls.exitCodeAtEnd?.() ?? 0),
        }),
        ignoreElements(),
      ),
      (client.reconciliation$ ?? merge()).pipe(map((event): CliEvent => ({ type: 'reconciliation', event }))),
      (controls.notes$ ?? merge()).pipe(map((message): CliEvent => ({ type: 'note', message }))),
    );
    const end = (code: number): void => {
      if (started) finish(code);
      else pendingEnd ??= code;
    };
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      subscription.unsubscribe();
      unregister();
      timer?.unsubscribe();
      if (controls.finalCheck) sink.write({ type: 'note', message: controls.finalCheck(latest) });
      if (latest) sink.write({ type: 'snapshot', snapshot: snapshotJson(latest) });
      const summary = controls.summary?.();
      // In the view's last frame; under --json on stderr, so the last line stays the snapshot.
      if (summary !== undefined && sink.note) sink.note(summary);
      sink.end();
      if (failure !== undefined) controls.stderr.write(`indodax-pws: stopped: ${failure}\n`);
      if (summary !== undefined && !sink.note) controls.stderr.write(`indodax-pws: ${summary}\n`);
      void (controls.recorder?.close() ?? Promise.resolve()).then(
        () => resolve(code),
        () => resolve(code),
      );
    };
    const subscription = events$.subscribe({
      next: (event) => {
        sink.write(event);
        if (event.type === 'status' && event.status.state === 'subscribed' && latest) {
          sink.write({ type: 'snapshot', snapshot: snapshotJson(latest) });
        }
      },
      error: (error: unknown) => {
        failure = failureText(error);
        // In the view's last frame, then (below it) on stderr for scripts.
        sink.fail?.(failure);
        end(1);
      },
      complete: () => end(controls.exitCodeAtEnd?.() ?? 0),
    });
    started = true;
    const unregister = controls.onStop(() => finish(0));
    const timer =
      controls.durationS === undefined
        ? undefined
        : safeTimer(controls.durationS * 1000, controls.scheduler ?? asyncScheduler).subscribe(() =>
            finish(0),
          );
    if (pendingEnd !== undefined) finish(pendingEnd);
  });
}
