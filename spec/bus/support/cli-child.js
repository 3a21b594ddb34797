// `indodax-pws` from the sources, in a child process: node cli-child.js bridge --nats ...
require('./ts-register');
const { main } = require('../../../lib/cli/main.ts');

const io = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  onStop: (stop) => {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
};
main(process.argv.slice(2), io).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error) => {
    process.stderr.write(`indodax-pws: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
