// The one rule for what may carry a secret, wherever crashtop would print a value from a pod spec: a fix
// command leaves such a value for the user to fill in, describe masks it. Broad on purpose: hiding a
// harmless value costs a look at the manifest, showing a password on an on-call screen cannot be undone.

/** Words of a name that holds a secret: MYSQL_PWD and -Ddb.pw as well as DB_PASSWORD (`pw` alone, not upwards). */
const SECRET_WORD = 'pass|secret|token|credential|auth|key|pwd|(?<![a-z])pw(?![a-z])';
/** A value that is a credential whatever its name: an HTTP bearer token, a JWT (header and claims both `{"…`). */
const SECRET_VALUE = 'bearer\\s|\\beyJ[\\w-]+\\.eyJ[\\w-]+\\.';
const SECRET_LIKE = new RegExp(`${SECRET_WORD}|${SECRET_VALUE}`, 'i');

/** Whether a name or value suggests a secret (DB_PASSWORD, -Dapi.key=…, Bearer …). */
export function looksSecret(text: string): boolean {
  return SECRET_LIKE.test(text);
}

const HIDDEN = '<hidden>';
/** `NAME=value` or `NAME: value` where NAME looks secret (a flag, a -D property, an assignment in a script). */
const SECRET_ASSIGNMENT = new RegExp(
  `([\\w.-]*(?:${SECRET_WORD})[\\w.-]*\\s*[=:]\\s*)("[^"]*"|'[^']*'|[^\\s"';&|]+)`,
  'gi',
);
/**
 * The password of a URL's user info: `postgres://app:hunter2@db`, `redis://:hunter2@cache`. It runs to the last
 * `@` before the host, so a password with an unescaped `@` in it is hidden whole; a `/` ends it, as it ends a
 * URL's authority (`http://api:8080/users/bob@example.com` has no password).
 */
const URL_PASSWORD = /(\b[a-z][\w+.-]*:\/\/[^\s:/@]*:)[^\s/]+?@(?=[^\s@/?#]*(?:[\s/?#]|$))/gi;
/** A flag alone whose value is the next argument: `--token`, `-password`. */
const BARE_FLAG = /^--?[\w.-]+$/;

/**
 * A container's command or args with the values that look secret hidden and everything else as written:
 * `--db-password=hunter2`, `--token abc`, `-Dapi.key=…`, `export DB_PASSWORD=… &&` in a script, a URL's password.
 */
export function maskSecretArgs(parts: readonly string[]): string[] {
  return parts.map((part, i) => {
    const previous = parts[i - 1];
    if (previous !== undefined && BARE_FLAG.test(previous) && looksSecret(previous) && !part.startsWith('-'))
      return HIDDEN;
    return hideUrlPasswords(part.replace(SECRET_ASSIGNMENT, (_, name: string) => `${name}${HIDDEN}`));
  });
}

/**
 * The text with the password of every `scheme://user:password@host` in it hidden, user and host kept
 * (`postgres://app:<hidden>@db.shop:5432/prod`): a URL may be anywhere a value is shown (an env value, a log
 * line, an event), so the terminal sanitiser applies it to every cluster string.
 */
export function hideUrlPasswords(text: string): string {
  return text.includes('@') && text.includes('://') ? text.replace(URL_PASSWORD, `$1${HIDDEN}@`) : text;
}
