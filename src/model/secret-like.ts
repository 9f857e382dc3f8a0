// The one rule for what may carry a secret, wherever crashtop would print a value from a pod spec: a fix
// command leaves such a value for the user to fill in, describe masks it. Broad on purpose: hiding a
// harmless value costs a look at the manifest, showing a password on an on-call screen cannot be undone.
// redactSecrets applies it to free text (log lines, events, messages), where a name is in a sentence and
// must be told from one that names a secret (`monkey`, `token expired`).

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
/** A flag alone whose value is the next argument: `--token`, `-password`. */
const BARE_FLAG = /^--?[\w.-]+$/;
/** A flag with its value: `--key=…`, `-Ddb.pw=…`. */
const FLAG_WITH_VALUE = /^--?[\w.-]+=/;

/**
 * A container's command or args with the values that look secret hidden and everything else as written:
 * `--db-password=hunter2`, `--token abc`, `-Dapi.key=…`, `export DB_PASSWORD=… &&` in a script, a URL's password.
 * A flag's name is read as broadly as an env variable's (`--key=…`), free text as redactSecrets reads it.
 */
export function maskSecretArgs(parts: readonly string[]): string[] {
  return parts.map((part, i) => {
    const previous = parts[i - 1];
    if (previous !== undefined && BARE_FLAG.test(previous) && looksSecret(previous) && !part.startsWith('-'))
      return HIDDEN;
    const flag = FLAG_WITH_VALUE.exec(part)?.[0];
    if (flag !== undefined && looksSecret(flag)) return `${flag}${HIDDEN}`;
    return redactSecrets(part);
  });
}

// Every pattern below is linear in the length of the line: no quantified group that can match the same text
// in two ways, and a lookbehind where a pattern starts with a run (`[\w.-]+`, a scheme), so that a failed
// attempt is not retried from every character of the same run (a 100 kB base64 line would be quadratic).

/**
 * Credentials recognisable by their shape whatever names them; the first group, kept, says what it was:
 * GitHub (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, fine-grained `github_pat_`), Slack (`xoxb-`…), AWS access key
 * ids, JWTs (header and claims both `{"…` in base64url), Google API keys, Stripe secret and restricted keys.
 */
const TOKEN_SHAPES = new RegExp(
  [
    /(?<![\w-])(gh[pousr]_)[A-Za-z0-9]{20,}/,
    /(?<![\w-])(github_pat_)\w{20,}/,
    /(?<![\w-])(xox[abpors]-)[\w-]{10,}/,
    /(?<![A-Za-z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/,
    /(?<![\w-])(eyJ)[\w-]+\.eyJ[\w-]+\.[\w-]*/,
    /(?<![\w-])(AIza)[\w-]{35}/,
    /(?<![\w-])((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{10,}/,
  ]
    .map((shape) => shape.source)
    .join('|'),
  'g',
);
/** Cheap test before TOKEN_SHAPES: nearly every line has none of these prefixes. */
const TOKEN_PREFIX = /gh[pousr]_|github_pat_|xox[abpors]-|AKIA|ASIA|eyJ|AIza|k_live_|k_test_/;

/** A bare bearer token (RFC 6750 b64token) long enough not to be a word: `Bearer eyJ…`, not `Bearer token`. */
const BEARER_TOKEN = /(?<![\w-])(bearer\s+)[\w.~+/-]{16,}=*/gi;

/**
 * A URL's scheme and authority up to its last `@`: the user info, with the password of
 * `postgres://app:hunter2@db` (to the last `@` before the host, so a password with an unescaped `@` in it is
 * hidden whole; a `/` ends it, as it ends the authority: `http://api:8080/users/bob@example.com` has none).
 */
const URL_USER_INFO = /(?<![\w+.-])([a-z][\w+.-]*:\/\/)([^\s/]*)@/gi;
/** User info without a password that is a token itself (`https://x-token-1234abcd@git.example.com`). */
const TOKEN_USER = /^[\w~+%=-]{12,}$/;

/**
 * A name and the separator after it: `password=`, `DB_PASSWORD: `, `"password":` (JSON), `\"token\":` (JSON
 * inside a JSON string), `"password"=>` (a Ruby hash). The quote after the name must be the one before it, so the quote that closes a
 * sentence's word (`` `validate_secret_key_base': Missing ``) is not a name's.
 */
const NAME = /(?<![\w.-])(\\?["']?)([\w.-]+)\1([ \t]*(?:=>|[=:])[ \t]*)/g;
/**
 * The value at a secret name's separator: a quoted string (unterminated: to the end), an authorization
 * scheme and its credential, or a word up to what ends a shell or query-string word.
 */
const VALUE =
  /"(?:[^"\\]|\\.)*"?|'[^']*'?|\\"(?:[^"\\]|\\[^"])*(?:\\")?|(?:bearer|basic|digest|token|negotiate|ntlm)\s+[^\s"';&|]+|[^\s"';&|]+/iy;
/** The authorization scheme that begins a value, kept: `Authorization: Bearer <hidden>`. */
const SCHEME = /^(?:bearer|basic|digest|token|negotiate|ntlm)\s+/i;
/** What follows a value that a sentence goes on from: a space, then more of the sentence. */
const SENTENCE_GOES_ON = /[ \t]+\S/y;
/** What begins a quoted value: a quote, or an escaped one. */
const QUOTED = /["'\\]/;
/** Cheap test before NAME: a line with no secret word has no secret name. */
const SECRET_NAME_HINT = new RegExp(SECRET_WORD, 'i');

/** What makes a key a secret one: `API_KEY`, `apiKey`, `secret_access_key`, `consumer_key`. */
const KEY_OF =
  'api|access|secret|private|signing|master|encryption|license|session|auth|client|account|shared|ssh|hmac|webhook|subscription|consumer|storage|app';
/**
 * Words of a name that name a secret. Whole words, so that `monkey`, `keyboard`, `passenger`, `author` and
 * `max_tokens` are not; a compound ending in one (`dbpassword`, `accesstoken`, `apikey`) is. A key alone is
 * not: in a cluster's words it is the name of one (`key: password` in a secretKeyRef, `routing_key`, a taint's).
 */
const SECRET_NAME_WORD = new RegExp(
  `^(?:\\w*(?:password|passwd|passphrase|secret|token|credentials?)|pass|pwd|pw|auth|authorization|(?:${KEY_OF})key)$`,
);
const KEY_QUALIFIER = new RegExp(`^(?:${KEY_OF})$`);
/**
 * A last word that makes the name one of something else than the secret: where it is (`passwordFile`,
 * `secret_name`), what kind (`auth_type`), whether it is there (`token_expired`, `key_missing`).
 */
const NOT_THE_SECRET =
  /^(?:name|file|path|dir|ref|url|uri|id|type|mode|kind|method|scheme|len|length|size|count|ttl|expiry|expires|expired|policy|format|version|header|env|source|provider|enabled|disabled|required|missing|present|set|valid|invalid|error|status|hint)$/;
/**
 * Values that say something about the secret, not the secret itself: a placeholder (`<value of KEY>`, already
 * `<hidden>`), a variable (`${DB_PASSWORD}`), a file (`key="/etc/tls/tls.key"`), a Secret object as controllers
 * log one (`secret="ingress/tls-cert"`), no value (`null`, `None`), the code that reads it in a traceback
 * (`API_KEY = os.environ["API_KEY"]`, `getenv(`).
 */
const NOT_A_SECRET_VALUE = /^(?:<|\$|\/[^/]*\/)|^(?:null|nil|none|undefined|true|false)$|^[a-z_][\w.]*[[(]$/i;
const OBJECT_REFERENCE = /^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*$/;

/** Whether a name (`DB_PASSWORD`, `apiKey`, `x-auth-token`, `-Dapi.key`) names a secret. */
function namesSecret(name: string): boolean {
  const words = name
    // A JVM system property (`-Dapi.key`) is named after its -D.
    .replace(/^-D(?=[a-z])/, '')
    .replace(/([a-z0-9])(?=[A-Z])/g, '$1_')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  const last = words.at(-1);
  if (last === undefined || NOT_THE_SECRET.test(last)) return false;
  return words.some(
    (word, i) =>
      SECRET_NAME_WORD.test(word) || (word === 'key' && words.slice(0, i).some((w) => KEY_QUALIFIER.test(w))),
  );
}

/** A value as written: its quote (`"`, `'`, `\\"` or none), what it quotes, and whether the quote is closed. */
function unquoted(value: string): { quote: string; inner: string; closed: boolean } {
  const quote = value.startsWith('\\"') ? '\\"' : /^["']/.test(value) ? value[0]! : '';
  const closed = quote !== '' && value.length >= 2 * quote.length && value.endsWith(quote);
  return { quote, inner: value.slice(quote.length, closed ? -quote.length : undefined), closed };
}

/**
 * The value with its credential hidden, its quotes and authorization scheme kept; undefined to leave it.
 * `goesOn`: more words follow it on the line.
 */
function hiddenValue(value: string, separator: string, goesOn: boolean): string | undefined {
  const { quote, inner, closed } = unquoted(value);
  const scheme = inner.match(SCHEME)?.[0] ?? '';
  const credential = inner.slice(scheme.length);
  if (
    credential === '' ||
    credential.includes(HIDDEN) ||
    NOT_A_SECRET_VALUE.test(credential) ||
    OBJECT_REFERENCE.test(credential)
  )
    return undefined;
  // `token: signature is invalid`, `cannot fetch token: 401 Unauthorized`: after a colon, a word or a number
  // that a sentence goes on from is the sentence (Go's and Node's error chains), not a value.
  if (
    separator.includes(':') &&
    quote === '' &&
    scheme === '' &&
    /^(?:[a-z]+|\d+)$/i.test(credential) &&
    goesOn
  )
    return undefined;
  return `${quote}${scheme}${HIDDEN}${closed ? quote : ''}`;
}

/** Between an env entry's name and its value in JSON: a comma, and a few spaces at most around it. */
const ENTRY_GAP = /^\s{0,4},\s{0,4}$/;
/** ENTRY_GAP's longest: a farther `value` is not the entry's, and is not read back to. */
const ENTRY_GAP_MAX = 9;

function hideSecretAssignments(text: string): string {
  if (!SECRET_NAME_HINT.test(text)) return text;
  let out = '';
  let copied = 0;
  // Where the name of an env entry that names a secret ends (`{"name":"DB_PASSWORD"`): the `"value"` right
  // after it is that secret, as a pod spec in JSON writes it.
  let secretEntry = -1;
  NAME.lastIndex = 0;
  for (let match = NAME.exec(text); match !== null; match = NAME.exec(text)) {
    const [, quote = '', name = '', separator = ''] = match;
    // `host:8080`, `image:tag`: a colon with nothing around it separates a name and a value only in JSON.
    if (separator === ':' && quote === '' && !QUOTED.test(text[NAME.lastIndex] ?? '')) continue;
    const entryValue =
      secretEntry >= 0 &&
      match.index - secretEntry <= ENTRY_GAP_MAX &&
      /^value$/i.test(name) &&
      ENTRY_GAP.test(text.slice(secretEntry, match.index));
    if (!entryValue && !namesSecret(name)) {
      if (/^name$/i.test(name)) secretEntry = secretEntryName(text, NAME.lastIndex);
      continue;
    }
    VALUE.lastIndex = NAME.lastIndex;
    const value = VALUE.exec(text)?.[0];
    if (value === undefined) continue;
    const end = NAME.lastIndex + value.length;
    SENTENCE_GOES_ON.lastIndex = end;
    const hidden = hiddenValue(value, separator, SENTENCE_GOES_ON.test(text));
    if (hidden === undefined) continue;
    out += text.slice(copied, NAME.lastIndex) + hidden;
    copied = end;
    NAME.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where the quoted name of an env entry ends when it names a secret (`"DB_PASSWORD"`), else -1. */
function secretEntryName(text: string, at: number): number {
  VALUE.lastIndex = at;
  const value = VALUE.exec(text)?.[0];
  if (value === undefined) return -1;
  const { quote, inner } = unquoted(value);
  return quote !== '' && namesSecret(inner) ? at + value.length : -1;
}

function hideUrlUserInfo(text: string): string {
  if (!text.includes('@') || !text.includes('://')) return text;
  return text.replace(URL_USER_INFO, (whole, scheme: string, userInfo: string) => {
    const colon = userInfo.indexOf(':');
    if (colon >= 0) return `${scheme}${userInfo.slice(0, colon + 1)}${HIDDEN}@`;
    return TOKEN_USER.test(userInfo) ? `${scheme}${HIDDEN}@` : whole;
  });
}

/** One scan that rules out nearly every line at once: none of the tests below can match without one of these. */
const ANY_HINT = new RegExp(`${TOKEN_PREFIX.source}|bearer|:\\/\\/|${SECRET_WORD}`, 'i');

/**
 * The text with every value that looks secret replaced by `<hidden>`, and what says what it was kept:
 * `ghp_<hidden>`, `Authorization: Bearer <hidden>`, `DB_PASSWORD=<hidden>`, `"token": "<hidden>"`,
 * `postgres://app:<hidden>@db.shop:5432/prod`. Text with nothing secret in it is returned as it is.
 */
export function redactSecrets(text: string): string {
  if (!ANY_HINT.test(text)) return text;
  let out = text;
  if (TOKEN_PREFIX.test(out))
    out = out.replace(
      TOKEN_SHAPES,
      // One alternative matched: its group is the one string before the offset (a number).
      (_: string, ...groups: unknown[]) => `${groups.find((g) => typeof g === 'string')}${HIDDEN}`,
    );
  if (/bearer/i.test(out)) out = out.replace(BEARER_TOKEN, `$1${HIDDEN}`);
  return hideSecretAssignments(hideUrlUserInfo(out));
}
