/**
 * What {@link redactSecrets} puts in place of a secret.
 *
 * ## Example
 * ```ts
 * message.includes(REDACTED); // something was cleaned out
 * ```
 * @internal
 */
export const REDACTED = '[redacted]';

// A JWT (three base64url parts, the first starts with `eyJ`), a hex run of 64 or more
// characters (an HMAC-SHA256 or -SHA512 `Sign`), and an Indodax TAPI key (five groups of
// eight upper-case letters and digits).
const SHAPES = [/eyJ[\w-]*\.[\w-]+\.[\w-]*/g, /\b[0-9a-fA-F]{64,}\b/g, /\b[A-Z0-9]{8}(?:-[A-Z0-9]{8}){4}\b/g];

/**
 * Cleans text a server echoed before it goes into an error message: anything shaped like a
 * JWT, a signature (64 or 128 hex characters) or a TAPI key, and each of `known` (the key
 * and secret in use; values shorter than 6 characters are left alone), become `[redacted]`.
 *
 * ```text
 * "bad header Sign: 9f3a…(128 hex)… for key ABCD1234-…"  →  "bad header Sign: [redacted] for key [redacted]"
 * ```
 *
 * ## Example
 * ```ts
 * redactSecrets(`echo: ${apiKey}`, [apiKey]); // 'echo: [redacted]'
 * ```
 * @internal
 */
export function redactSecrets(text: string, known: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of known) {
    if (secret !== undefined && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const shape of SHAPES) out = out.replace(shape, REDACTED);
  return out;
}
