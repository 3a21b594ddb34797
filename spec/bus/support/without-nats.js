// Loads the library as a user without the optional NATS peers would: every require of
// @nats-io/* fails, as if the packages were not installed. Prints what happened as JSON.
require('./ts-register');
const Module = require('node:module');
const resolve = Module._resolveFilename;
const attempts = [];
Module._resolveFilename = function (request, ...rest) {
  if (request.startsWith('@nats-io/')) {
    attempts.push(request);
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
const root = require('../../../lib/index.ts');
require('../../../lib/cli/main.ts');
const bus = require('../../../lib/bus/index.ts');
const afterLoad = attempts.length;
const client = bus.fromJetStream({ servers: 'nats://127.0.0.1:1', account: 'acct0' });
client.orders$.subscribe({
  error: (e) => {
    process.stdout.write(
      JSON.stringify({ root: typeof root.createPrivateClient, afterLoad, error: e.message }),
    );
  },
});
