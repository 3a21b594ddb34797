/**
 * A minimal Centrifugo v5 JSON server for the benchmarks, run in a worker thread so its
 * sending does not share the measured event loop. It accepts any `connect` and
 * `subscribe`, counts open sockets, and sends prebuilt frames on command.
 */
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildFrames, pushLine, wireItem } from './events';
import type { WorkerReply, WorkerRequest } from './server';

const port = parentPort;
if (port === null) throw new Error('server-worker must run in a worker thread');

const subscribers = new Map<string, Set<WebSocket>>();
let open = 0;
let clientSeq = 0;
let prepared: string[] = [];

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => {
  open += 1;
  const channels: string[] = [];
  ws.on('message', (raw) => {
    for (const line of String(raw).split('\n')) {
      if (line.trim() === '') continue;
      const cmd = JSON.parse(line) as {
        id?: number;
        connect?: unknown;
        subscribe?: { channel: string };
        refresh?: unknown;
      };
      if (cmd.connect !== undefined) {
        clientSeq += 1;
        ws.send(JSON.stringify({ id: cmd.id, connect: { client: `bench-${clientSeq}`, version: '5.2.0' } }));
      } else if (cmd.subscribe !== undefined) {
        const channel = cmd.subscribe.channel;
        channels.push(channel);
        let set = subscribers.get(channel);
        if (set === undefined) subscribers.set(channel, (set = new Set()));
        set.add(ws);
        ws.send(JSON.stringify({ id: cmd.id, subscribe: {} }));
      } else if (cmd.refresh !== undefined) {
        ws.send(JSON.stringify({ id: cmd.id, refresh: { client: 'bench', version: '5.2.0' } }));
      }
    }
  });
  ws.on('close', () => {
    open -= 1;
    for (const channel of channels) subscribers.get(channel)?.delete(ws);
  });
});

function reply(message: WorkerReply): void {
  port?.postMessage(message);
}

function sockets(channel: string): WebSocket[] {
  return [...(subscribers.get(channel) ?? [])];
}

/** Sends `rate` events per second, one event per push per frame, each stamped with its send time. */
function paced(channel: string, rate: number, durationMs: number, done: (sent: number) => void): void {
  const total = Math.round((rate * durationMs) / 1000);
  const start = performance.now();
  let sent = 0;
  const tick = (): void => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
    for (; sent < due; sent += 1) {
      // In whole microseconds: transactionTime must be a positive safe integer (≈ 1.8e15 < 2^53).
      const line = pushLine(channel, [
        wireItem(sent, Math.round((performance.timeOrigin + performance.now()) * 1000)),
      ]);
      for (const ws of sockets(channel)) ws.send(line);
    }
    if (sent < total) setTimeout(tick, 1);
    else done(sent);
  };
  tick();
}

port.on('message', (request: WorkerRequest) => {
  switch (request.cmd) {
    case 'prepare':
      prepared = buildFrames(request.channel, request.events, request.perPush, request.pushesPerFrame, 1);
      reply({ id: request.id, frames: prepared.length });
      break;
    case 'go': {
      const targets = sockets(request.channel);
      for (const frame of prepared) for (const ws of targets) ws.send(frame);
      reply({ id: request.id, reached: targets.length });
      break;
    }
    case 'paced':
      paced(request.channel, request.rate, request.durationMs, (sent) => reply({ id: request.id, sent }));
      break;
    case 'stats':
      reply({ id: request.id, open });
      break;
    case 'close':
      for (const ws of wss.clients) ws.terminate();
      wss.close(() => {
        reply({ id: request.id });
        port.close();
      });
      break;
  }
});

wss.on('listening', () => {
  const address = wss.address();
  reply({ id: 0, port: typeof address === 'object' && address !== null ? address.port : 0 });
});
