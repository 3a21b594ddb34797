// `indodax-pws` from the sources, in a child process: node cli-child.js bridge --nats ...
require('./ts-register');
const { main, processIo } = require('../../../lib/cli/main.ts');

main(process.argv.slice(2), processIo()).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error) => {
    process.stderr.write(`indodax-pws: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
