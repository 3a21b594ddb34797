import { createWriteStream, readFileSync } from 'node:fs';
import { Observable, Subscription, asyncScheduler, type SchedulerLike } from 'rxjs';
import type { ChannelMessage } from '../connection/types';
import { isLeft } from 'fp-ts/Either';
import { OrderUpdate } from '../orders';
import { formatValidationErrors } from '../util/report';

/**
 * One line of a recording: a channel message as it arrived, or an update that REST
 * reconciliation produced, with the milliseconds since the recording started.
 * Recordings never hold the API secret or a token: channel messages carry neither.
 * @internal
 */
export type RecordLine =
  | { readonly t: number; readonly message: ChannelMessage }
  | { readonly t: number; readonly restUpdate: OrderUpdate };

/** Writes a recording as NDJSON. @internal */
export interface Recorder {
  message(message: ChannelMessage): void;
  restUpdate(update: OrderUpdate): void;
  close(): Promise<void>;
}

/** Opens `file` for a new recording. @internal */
export function createRecorder(file: string, now: () => number = Date.now): Recorder {
  const out = createWriteStream(file, { flags: 'w' });
  const started = now();
  const write = (line: RecordLine): void => {
    out.write(JSON.stringify(line) + '\n');
  };
  return {
    message: (message) => write({ t: now() - started, message }),
    restUpdate: (update) => write({ t: now() - started, restUpdate: update }),
    close: () =>
      new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve()))),
  };
}

/** A line of a recording that could not be read. @internal */
export interface BadRecordLine {
  readonly line: number;
  readonly raw: string;
  readonly reason: string;
}

/**
 * Reads a recording. Lines that are not valid records are returned as bad lines (the
 * replay reports them and goes on).
 * @internal
 */
export function readRecording(file: string): { records: RecordLine[]; bad: BadRecordLine[] } {
  const records: RecordLine[] = [];
  const bad: BadRecordLine[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, index) => {
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        bad.push({ line: index + 1, raw, reason: 'not JSON' });
        return;
      }
      const v = value as { t?: unknown; message?: { type?: unknown }; restUpdate?: unknown };
      if (typeof v.t !== 'number' || (v.message === undefined && v.restUpdate === undefined)) {
        bad.push({ line: index + 1, raw, reason: 'not a record: needs "t" and "message" or "restUpdate"' });
        return;
      }
      if (v.message !== undefined && v.message.type !== 'status' && v.message.type !== 'publication') {
        bad.push({ line: index + 1, raw, reason: 'message.type must be status or publication' });
        return;
      }
      if (v.restUpdate !== undefined) {
        // The same codec as the live path: a recorded REST update is checked, not trusted.
        const decoded = OrderUpdate.decode(v.restUpdate);
        if (isLeft(decoded)) {
          bad.push({ line: index + 1, raw, reason: `restUpdate: ${formatValidationErrors(decoded.left)}` });
          return;
        }
        records.push({ t: v.t, restUpdate: decoded.right });
        return;
      }
      records.push(value as RecordLine);
    });
  return { records, bad };
}

/**
 * Plays records back at their recorded pace divided by `speed` (0: as fast as it can),
 * on `scheduler`.
 * @internal
 */
export function playRecords(
  records: readonly RecordLine[],
  speed: number,
  scheduler: SchedulerLike = asyncScheduler,
): Observable<RecordLine> {
  return new Observable<RecordLine>((subscriber) => {
    let index = 0;
    const started = scheduler.now();
    const subscription = new Subscription();
    const step = (): void => {
      while (index < records.length) {
        const record = records[index] as RecordLine;
        const due = speed === 0 ? 0 : record.t / speed - (scheduler.now() - started);
        if (due > 0) {
          subscription.add(scheduler.schedule(step, due));
          return;
        }
        index += 1;
        subscriber.next(record);
      }
      subscriber.complete();
    };
    step();
    return subscription;
  });
}
