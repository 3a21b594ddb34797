/**
 * The main-thread handle of the benchmark server running in a worker thread.
 */
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';

/** What the main thread asks the worker. */
export type WorkerRequest =
  | { id: number; cmd: 'prepare'; channel: string; events: number; perPush: number; pushesPerFrame: number }
  | { id: number; cmd: 'go'; channel: string }
  | { id: number; cmd: 'paced'; channel: string; rate: number; durationMs: number }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'close' };

/** What the worker answers (`id` 0 announces the port). */
export interface WorkerReply {
  id: number;
  port?: number;
  frames?: number;
  reached?: number;
  sent?: number;
  open?: number;
}

type Body<R> = R extends { id: number } ? Omit<R, 'id'> : never;

/** A running benchmark server. */
export interface BenchServer {
  readonly wsUrl: string;
  request(body: Body<WorkerRequest>): Promise<WorkerReply>;
  close(): Promise<void>;
}

/** The token (`connToken`, `channel`) of benchmark account `i`. */
export function benchToken(i: number): { connToken: string; channel: string } {
  return { connToken: `bench-token-${i}`, channel: `pws:#bench${i}` };
}

/** Starts the server in a worker thread (the compiled `server-worker.js` beside this file). */
export function startBenchServer(): Promise<BenchServer> {
  const worker = new Worker(path.join(__dirname, 'server-worker.js'));
  const pending = new Map<number, (reply: WorkerReply) => void>();
  let nextId = 1;
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.id === 0) {
        const server: BenchServer = {
          wsUrl: `ws://127.0.0.1:${reply.port ?? 0}/connection/websocket`,
          request: (body) =>
            new Promise((done) => {
              const id = nextId++;
              pending.set(id, done);
              worker.postMessage({ ...body, id });
            }),
          close: async () => {
            await server.request({ cmd: 'close' });
            await worker.terminate();
          },
        };
        resolve(server);
        return;
      }
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
  });
}
