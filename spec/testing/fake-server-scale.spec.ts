import { WebSocket } from 'ws';
import { startFakeServer } from '../../lib/testing/fake-server';

// Many accounts against one fake (the connections benchmark runs 1,000): every client gets
// exactly its own account's publication, and every counter of open things returns to 0.
const ACCOUNTS = Number(process.env.FAKE_SERVER_SCALE ?? 300);

it(`serves ${ACCOUNTS} accounts at once, each on its own channel`, async () => {
  const server = await startFakeServer();
  const started = Date.now();
  const accounts = Array.from({ length: ACCOUNTS }, () => server.addAccount());
  const received = new Map<string, unknown[]>();
  const sockets = await Promise.all(
    accounts.map(
      (account) =>
        new Promise<WebSocket>((resolve, reject) => {
          const token = server.issueToken({ account });
          const ws = new WebSocket(server.wsUrl);
          const got: unknown[] = [];
          received.set(account.id, got);
          ws.on('message', (data: Buffer) => {
            for (const line of data.toString('utf8').split('\n')) {
              const msg = JSON.parse(line) as {
                id?: number;
                push?: { channel: string; pub: { data: unknown } };
              };
              if (msg.id === 2) resolve(ws);
              if (msg.push) got.push([msg.push.channel, msg.push.pub.data]);
            }
          });
          ws.once('error', reject);
          ws.once('open', () =>
            ws.send(
              `${JSON.stringify({ id: 1, connect: { token: token.connToken } })}\n${JSON.stringify({ id: 2, subscribe: { channel: token.channel } })}`,
            ),
          );
        }),
    ),
  );
  const connectedMs = Date.now() - started;
  expect(server.stats()).toMatchObject({ openSockets: ACCOUNTS, connected: ACCOUNTS, subscribed: ACCOUNTS });
  let delivered = 0;
  for (const [i, account] of accounts.entries()) delivered += server.publish([{ n: i }], { account });
  expect(delivered).toBe(ACCOUNTS);
  await server.until((s) => s.publicationsSent === ACCOUNTS);
  await Promise.all(
    accounts.map(async (account, i) => {
      const got = received.get(account.id) ?? [];
      while (got.length === 0) await new Promise((r) => setImmediate(r));
      expect(got).toEqual([[account.channel, [{ n: i }]]]);
    }),
  );
  for (const ws of sockets) ws.close();
  await server.until((s) => s.openSockets === 0 && s.subscribed === 0 && s.connected === 0, 10_000);
  await server.close();
  expect(server.stats().tcpSockets).toBe(0);
  if (process.env.FAKE_SERVER_SCALE)
    console.log(`${ACCOUNTS} accounts connected+subscribed in ${connectedMs} ms`);
});
