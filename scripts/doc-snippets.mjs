// The ```ts blocks of README.md and docs/*.md as files a compiler can read, shared by
// check-doc-snippets.mjs (against the sources) and check-consumer-types.mjs (against the
// installed tarball). Each block becomes its own module (`export {}`); a block of only imports
// ("The imports, from the package:") heads the page's later blocks; a block fenced as
// ```ts skip-check is skipped. Compiler errors map back to the Markdown line with `locate`.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** README.md and every docs/*.md of `root`, as paths relative to it. */
export function docFiles(root) {
  return [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
}

const IMPORT_START = /^\s*import\b/;
const IMPORT_END = /\bfrom\s+['"][^'"]+['"];?\s*$|^\s*import\s+['"][^'"]+['"];?\s*$/;

/**
 * Where the leading imports of `lines` end (the index of their last line, or -1): blank lines,
 * comments and (possibly multi-line) import statements at the top of a block.
 */
function leadingImportsEnd(lines) {
  let end = -1;
  let inImport = false;
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (inImport) {
      if (IMPORT_END.test(line)) {
        inImport = false;
        end = i;
      }
      continue;
    }
    if (IMPORT_START.test(line)) {
      if (IMPORT_END.test(line)) end = i;
      else inImport = true;
      continue;
    }
    if (/^\s*(\/\/.*)?$/.test(line)) continue;
    break;
  }
  return end;
}

/**
 * The blocks of `files` (relative to `root`): `{ name, md, firstLine, lines }`, where `lines`
 * are the shared imports followed by the block and `firstLine` is the Markdown line of
 * `lines[0]`. With `wrapAwait`, a block that uses `await` gets its statements after the imports
 * wrapped in an async function on the same lines (CommonJS has no top-level await), so the
 * line numbers still map.
 */
export function extractSnippets(root, files, { wrapAwait = false } = {}) {
  const blocks = [];
  let skipped = 0;
  for (const md of files) {
    const lines = readFileSync(join(root, md), 'utf8').split('\n');
    let open; // { info, start, body }
    let shared = [];
    lines.forEach((line, i) => {
      if (open === undefined) {
        const m = /^\s*```(ts|typescript)\b(.*)$/.exec(line);
        if (m) open = { info: m[2].trim(), start: i + 2, body: [] };
        return;
      }
      if (/^\s*```\s*$/.test(line)) {
        const importsOnly = open.body.every((l) => /^\s*(import\b.*|\/\/.*)?$/.test(l));
        if (open.info.includes('skip-check')) skipped += 1;
        else {
          const head = importsOnly ? [] : shared;
          const body = [...head, ...open.body];
          let shift = 0;
          if (wrapAwait && body.some((l) => /\bawait\b/.test(l))) {
            const end = leadingImportsEnd(body);
            const opener = 'export async function snippet(): Promise<void> {';
            if (end < 0) {
              body.unshift(opener);
              shift = 1;
            } else body[end] = `${body[end]} ${opener}`;
            body.push('}');
          }
          blocks.push({
            name: `${md.replace(/[^a-z0-9]+/gi, '_')}_${open.start}.ts`,
            md,
            firstLine: open.start - head.length - shift,
            lines: body,
          });
        }
        if (importsOnly) shared = [...shared, ...open.body];
        open = undefined;
        return;
      }
      open.body.push(line);
    });
  }
  return { blocks, skipped };
}

/** Writes each block into `dir` (with `export {}`, so its names stay its own); returns the paths. */
export function writeSnippets(dir, blocks) {
  return blocks.map((b) => {
    const path = join(dir, b.name);
    writeFileSync(path, `${b.lines.join('\n')}\nexport {};\n`);
    return path;
  });
}

/**
 * Rewrites tsc's `--pretty false` output so an error in a block names its Markdown line;
 * returns `{ lines, errors }`.
 */
export function locate(output, blocks, hide = []) {
  const byName = new Map(blocks.map((b) => [b.name, b]));
  const lines = [];
  let errors = 0;
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(.*?)\((\d+),(\d+)\): (.*)$/.exec(line);
    const name = m ? m[1].split(/[\\/]/).pop() : undefined;
    const at = name ? byName.get(name) : undefined;
    if (m && at) {
      errors += 1;
      lines.push(`${at.md}:${at.firstLine + Number(m[2]) - 1}:${m[3]} ${m[4]}`);
    } else {
      if (/error TS/.test(line)) errors += 1;
      lines.push(hide.reduce((text, h) => text.split(h).join('<scratch>'), line));
    }
  }
  return { lines, errors };
}
