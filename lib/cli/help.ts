import { HELP } from './args';

const OPTION = /^ {2}(--?[a-z-]+).*?\s{2,}(\S.*)$/;
const CALLS_PREFIX = /^((?:[a-z][a-z-]*)(?:, [a-z][a-z-]*)*): /;

/**
 * The part of `--help` about one call (`indodax-pws bridge --help`): its block of "Calls", the
 * options that apply to it (those whose text names it, and the general ones its usage line
 * shows), and the closing notes. `undefined` for a call `--help` does not describe.
 *
 * ## Example
 * ```ts
 * io.stdout.write((helpFor('bridge') ?? HELP) + '\n');
 * ```
 * @internal
 */
export function helpFor(call: string, help: string = HELP): string | undefined {
  const lines = help.split('\n');
  const start = lines.findIndex(
    (l) => l === `  indodax-pws ${call}` || l.startsWith(`  indodax-pws ${call} `),
  );
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  const block = lines.slice(start, end < 0 ? undefined : end);
  const optionsAt = lines.indexOf('Options:');
  const optionsEnd = lines.findIndex((l, i) => i > optionsAt && l.trim() === '');
  const options: string[] = [];
  let keep = false;
  for (const line of lines.slice(optionsAt + 1, optionsEnd < 0 ? undefined : optionsEnd)) {
    const option = OPTION.exec(line);
    if (option) {
      const [, name = '', text = ''] = option;
      const calls = CALLS_PREFIX.exec(text);
      keep = calls
        ? (calls[1] ?? '').split(', ').includes(call)
        : name === '--help' || block.some((l) => new RegExp(`${name}(?![a-z-])`).test(l));
    }
    if (keep) options.push(line);
  }
  const notes = optionsEnd < 0 ? [] : lines.slice(optionsEnd);
  return [`indodax-pws ${call}`, '', ...block, '', 'Options:', ...options, ...notes].join('\n');
}
