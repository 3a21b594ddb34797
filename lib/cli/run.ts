import { filter, ignoreElements, map, merge, tap, type Observable } from 'rxjs';
import type { PrivateClient } from '../client';
import { ChannelError, type ChannelMessage } from '../connection/types';
import type { OrderStateSnapshot } from '../orders';
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
  /** A last word on the final snapshot (the demo checks the store against the exchange). */
  readonly finalCheck?: (snapshot: OrderStateSnapshot) => string;
  readonly stderr: Out;
}

/**
 * Runs the client's streams into a sink until the duration ends, the user stops, the
 * source completes (exit 0) or a terminal failure (exit 1, its message on stderr).
 * @internal
 */
export function runClient(
  client: Omit<PrivateClient, 'reconciliation$'> & Partial<Pick<PrivateClient, 'reconciliation$'>>,
  sink: Sink,
  controls: RunControls,
): Promise<number> {
  return new Promise<number>((resolve) => {
    let latest: OrderStateSnapshot | undefined;
    let done = false;
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
      client.invalid$.pipe(map(invalidEvent)),
      client.orders$.pipe(
        tap((s) => {
          latest = s;
          sink.orders?.(s);
        }),
        ignoreElements(),
      ),
      (controls.notes$ ?? merge()).pipe(map((message): CliEvent => ({ type: 'note', message }))),
    );
    const finish = (code: number): void => {
      if (done) return;
      done = true;
      subscription.unsubscribe();
      unregister();
      clearTimeout(timer);
      if (latest && controls.finalCheck) sink.write({ type: 'note', message: controls.finalCheck(latest) });
      if (latest) sink.write({ type: 'snapshot', snapshot: snapshotJson(latest) });
      sink.end();
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
        const what =
          error instanceof ChannelError
            ? `${error.kind} failure${error.code === undefined ? '' : ` (code ${error.code})`}: ${error.reason}`
            : error instanceof Error
              ? error.message
              : String(error);
        controls.stderr.write(`indodax-pws: stopped: ${what}\n`);
        finish(1);
      },
      complete: () => finish(0),
    });
    const unregister = controls.onStop(() => finish(0));
    const timer =
      controls.durationS === undefined ? undefined : setTimeout(() => finish(0), controls.durationS * 1000);
  });
}
