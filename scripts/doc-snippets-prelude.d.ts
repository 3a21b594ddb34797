// Names the docs' ```ts blocks use without declaring them, as a reader of the page has them
// from an earlier block or from context (see check-doc-snippets.mjs). A block that declares
// one of these itself shadows it. Keep this list short: a block that can declare what it
// uses should.
declare const credentials: import('indodax-pws').Credentials;
declare const apiKey: string;
declare const apiSecret: string;
declare const token$: import('rxjs').Observable<import('indodax-pws').PrivateToken>;
declare const channel$: import('rxjs').Observable<import('indodax-pws').ChannelMessage>;
declare const client: import('indodax-pws').PrivateClient;
declare const server: import('indodax-pws/testing').FakeServer;
declare const log: { warn(...values: unknown[]): void; info(...values: unknown[]): void };
declare const nc: import('indodax-pws/bus').OpenNatsConnection;
