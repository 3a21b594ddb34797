const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Parses JSON without losing digits: every number literal whose JavaScript number would
 * print differently (`72057594037936570`, `0.10000000000000000001`, `1.10`, `1E-4`) is
 * turned into a string holding its exact text before `JSON.parse` runs. Numbers that
 * survive the round trip (`1`, `1002`, `1772510281185`, `0.5`) stay numbers.
 *
 * ```text
 * {"tradeId":72057594037936570,"qty":"1"}  →  { tradeId: '72057594037936570', qty: '1' }
 * ```
 *
 * ## Example
 * ```ts
 * parseJsonExact('{"tradeId":72057594037936570}'); // { tradeId: '72057594037936570' }
 * ```
 * @throws SyntaxError, like `JSON.parse`, when the text is not JSON
 * @internal
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteLossyNumbers(text));
}

/**
 * The pre-pass of {@link parseJsonExact}: quotes number literals that a JavaScript number
 * cannot hold exactly. Strings are skipped, escapes included.
 * @internal
 */
export function quoteLossyNumbers(text: string): string {
  let out = '';
  let copiedTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) {
        i++;
        continue;
      }
      const literal = match[0];
      const value = Number(literal);
      // Shortest-form printing can hide a rounded integer (72057594038555020 reads back as
      // ...024 but prints as ...020): an integer beyond 2^53 is quoted whatever it prints as.
      const unsafeInteger = !/[.eE]/.test(literal) && !Number.isSafeInteger(value);
      if (unsafeInteger || String(value) !== literal) {
        out += text.slice(copiedTo, i) + '"' + literal + '"';
        copiedTo = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i++;
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo);
}
