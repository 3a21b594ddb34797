// `indodax-pws` from the sources, in a child process: node cli-child.js bridge --nats ...
require('./ts-register');
// Clock-skew tests: INDODAX_PWS_TEST_CLOCK_SHIFT_MS moves this child's Date.now (and so the
// default scheduler's clock) by a constant.
const shift = Number(process.env.INDODAX_PWS_TEST_CLOCK_SHIFT_MS ?? 0);
if (shift) {
  const realNow = Date.now;
  Date.now = () => realNow() + shift;
}
const { main, processIo } = require('../../../lib/cli/main.ts');

main(process.argv.slice(2), processIo()).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error) => {
    process.stderr.write(`indodax-pws: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
