import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksSecret, maskSecretArgs, redactSecrets } from '../../src/model/secret-like.js';

// Container commands and args as real manifests write them: what looks secret is hidden, the rest is left as
// written, so describe still shows how the container is started.

describe('maskSecretArgs', () => {
  it.each([
    [
      ['--db-password=hunter2', '--port=8080'],
      ['--db-password=<hidden>', '--port=8080'],
    ],
    [
      ['--token', 'abc123', '--verbose'],
      ['--token', '<hidden>', '--verbose'],
    ],
    [
      ['-Dapi.key=s3cr3t', '-Xmx512m'],
      ['-Dapi.key=<hidden>', '-Xmx512m'],
    ],
    [
      ['sh', '-c', 'export DB_PASSWORD="p w" && exec app --auth-token=xyz'],
      ['sh', '-c', 'export DB_PASSWORD="<hidden>" && exec app --auth-token=<hidden>'],
    ],
    [['--dsn=postgres://app:hunter2@db:5432/shop'], ['--dsn=postgres://app:<hidden>@db:5432/shop']],
    [
      ['-Xmx512m', '-Ddb.pw=s3cr3t', 'MYSQL_PWD=s3cr3t'],
      ['-Xmx512m', '-Ddb.pw=<hidden>', 'MYSQL_PWD=<hidden>'],
    ],
    [
      ['--pw', 's3cr3t'],
      ['--pw', '<hidden>'],
    ],
    [
      ['--key=abc', '--keyfile=/etc/tls/tls.key'],
      ['--key=<hidden>', '--keyfile=<hidden>'],
    ],
    [
      ['--password', '--next'],
      ['--password', '--next'],
    ],
    [
      ['nginx', '-g', 'daemon off;'],
      ['nginx', '-g', 'daemon off;'],
    ],
    [
      ['--listen=:8080', 'http://example.com/path'],
      ['--listen=:8080', 'http://example.com/path'],
    ],
  ])('%j → %j', (parts, masked) => {
    expect(maskSecretArgs(parts)).toEqual(masked);
  });
});

describe('looksSecret', () => {
  it.each([
    // What the values of env variables with harmless names hold on real on-call screens.
    ['Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc', true],
    ['eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2ln', true],
    ['MYSQL_PWD', true],
    ['-Xmx512m -Ddb.pw=s3cr3t', true],
    ['DB_PW', true],
    // Left shown: nothing in them carries a secret.
    ['-Xmx512m -XX:+UseG1GC', false],
    ['move upwards', false],
    ['eyJustAWord', false],
    ['https://example.com/path', false],
  ])('%s: %s', (text, secret) => {
    expect(looksSecret(text)).toBe(secret);
  });
});

// Free text from a cluster (log lines, events, messages, env values) as sanitizeLine shows it: what looks secret
// is hidden, what says what it was is kept, and everything else, the words a diagnosis is read from, is left.

describe('redactSecrets: credentials known by their shape, whatever names them', () => {
  it.each([
    [
      'GitHub classic token',
      'cloning with ghp_16C7e42F292c6912E7710c838347Ae178B4a failed',
      'cloning with ghp_<hidden> failed',
    ],
    [
      'GitHub OAuth and app tokens',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a ghs_16C7e42F292c6912E7710c838347Ae178B4a',
      'gho_<hidden> ghs_<hidden>',
    ],
    [
      'GitHub fine-grained token',
      'GITHUB=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEF',
      'GITHUB=github_pat_<hidden>',
    ],
    [
      'Slack bot token',
      'slack: posting with xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx',
      'slack: posting with xoxb-<hidden>',
    ],
    [
      'AWS access key id',
      'InvalidClientTokenId: AKIAIOSFODNN7EXAMPLE is not valid',
      'InvalidClientTokenId: AKIA<hidden> is not valid',
    ],
    ['AWS temporary key id', 'assumed role, key ASIAY34FZKBOKMUTVV7A', 'assumed role, key ASIA<hidden>'],
    [
      'JWT',
      'rejected eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJl: expired',
      'rejected eyJ<hidden>: expired',
    ],
    ['Google API key', 'maps: AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe denied', 'maps: AIza<hidden> denied'],
    [
      'Stripe live secret key',
      'stripe init sk_live_4eC39HqLyjWDarjtT1zdp7dc',
      'stripe init sk_live_<hidden>',
    ],
    ['Stripe restricted key', 'rk_live_51H8abcdEFGHijkl', 'rk_live_<hidden>'],
    ['a bare bearer token', 'GET /api 401 Bearer dGhpcyBpcyBhIHRva2VuIQ==', 'GET /api 401 Bearer <hidden>'],
    ['a bearer of fewer than 16 characters is a word', 'Bearer token missing', 'Bearer token missing'],
    ['no shape without its length', 'ghp_short AKIA1234 eyJustAWord', 'ghp_short AKIA1234 eyJustAWord'],
  ])('%s', (_name, text, shown) => {
    expect(redactSecrets(text)).toBe(shown);
  });
});

describe('redactSecrets: a value whose name names a secret', () => {
  it.each([
    ['an assignment', 'db.password=hunter2 db.user=app', 'db.password=<hidden> db.user=app'],
    ['a YAML-like line', 'DB_PASSWORD: hunter2', 'DB_PASSWORD: <hidden>'],
    [
      'a JSON field',
      '{"user":"app","password":"hun\\"ter2","port":5432}',
      '{"user":"app","password":"<hidden>","port":5432}',
    ],
    [
      'JSON inside a JSON string',
      '{"log":"cfg {\\"apiKey\\":\\"abc123\\"}"}',
      '{"log":"cfg {\\"apiKey\\":\\"<hidden>\\"}"}',
    ],
    [
      'a Ruby hash',
      'Parameters: {"user"=>"bob", "password"=>"hunter2"}',
      'Parameters: {"user"=>"bob", "password"=>"<hidden>"}',
    ],
    [
      'a query string',
      'GET /cb?state=ok&access_token=abc123&x=1',
      'GET /cb?state=ok&access_token=<hidden>&x=1',
    ],
    ['an HTTP header', 'x-api-key: 9f8e7d6c', 'x-api-key: <hidden>'],
    [
      'the authorization header keeps its scheme',
      'Authorization: Basic YWRtaW46YWRtaW4=',
      'Authorization: Basic <hidden>',
    ],
    ['a short bearer in the header', 'authorization="Bearer abc"', 'authorization="Bearer <hidden>"'],
    ['a camelCase name', 'clientSecret=s3cr3t', 'clientSecret=<hidden>'],
    ['a JVM property', '-Dspring.datasource.password=hunter2', '-Dspring.datasource.password=<hidden>'],
    ['an assignment inside a flag value', '--env=DB_PASSWORD=hunter2', '--env=DB_PASSWORD=<hidden>'],
    ['an unterminated quote hides to the end', 'token="abc def', 'token="<hidden>'],
    [
      'a secret key',
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'AWS_SECRET_ACCESS_KEY=<hidden>',
    ],
    ['an API key', 'SENDGRID_API_KEY=SG.abc', 'SENDGRID_API_KEY=<hidden>'],
    [
      'an env entry of a pod spec in JSON',
      '"env":[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"LOG_LEVEL","value":"debug"}]',
      '"env":[{"name":"DB_PASSWORD","value":"<hidden>"},{"name":"LOG_LEVEL","value":"debug"}]',
    ],
    [
      'the same in a JSON string',
      '{\\"name\\": \\"API_TOKEN\\", \\"value\\": \\"t0k3n\\"}',
      '{\\"name\\": \\"API_TOKEN\\", \\"value\\": \\"<hidden>\\"}',
    ],
    // Left as they are: the name is not a secret's, or the value is not a secret.
    ['words that contain key', 'monkey=3 keyboard: us turkey=yes', 'monkey=3 keyboard: us turkey=yes'],
    [
      'a key alone names a key',
      "couldn't find key: password, routing_key=orders.created",
      "couldn't find key: password, routing_key=orders.created",
    ],
    [
      'what is not the secret',
      'secretName: db-creds tokenFile=/var/run/t token_expired=true auth_type=basic',
      'secretName: db-creds tokenFile=/var/run/t token_expired=true auth_type=basic',
    ],
    ['counts of tokens', 'usage prompt_tokens=30 max_tokens=1024', 'usage prompt_tokens=30 max_tokens=1024'],
    [
      'a placeholder',
      "--from-literal=password='<value of password>'",
      "--from-literal=password='<value of password>'",
    ],
    [
      'a variable, a file, nothing',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'password=${DB_PASSWORD} key_file="/etc/tls/tls.key" token: null',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the same, left as it is
      'password=${DB_PASSWORD} key_file="/etc/tls/tls.key" token: null',
    ],
    [
      'a host and port',
      'dial tcp auth:8080: connect: connection refused',
      'dial tcp auth:8080: connect: connection refused',
    ],
    [
      'an error chain',
      'refresh token: context deadline exceeded',
      'refresh token: context deadline exceeded',
    ],
    [
      'the code that reads it',
      'SENDGRID_API_KEY = os.environ["SENDGRID_API_KEY"]',
      'SENDGRID_API_KEY = os.environ["SENDGRID_API_KEY"]',
    ],
    [
      'a quote that closes a word',
      "in `validate_secret_key_base': Missing `secret_key_base`",
      "in `validate_secret_key_base': Missing `secret_key_base`",
    ],
  ])('%s', (_name, text, shown) => {
    expect(redactSecrets(text)).toBe(shown);
  });
});

describe('redactSecrets: real log lines', () => {
  it.each([
    // PostgreSQL: the diagnosis is in these words, and none of them is a secret.
    [
      'FATAL:  password authentication failed for user "app"',
      'FATAL:  password authentication failed for user "app"',
    ],
    [
      'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "app"',
      'psql: error: connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  password authentication failed for user "app"',
    ],
    [
      '2026-11-25 08:00:01 UTC [1] LOG:  token expired for session 42',
      '2026-11-25 08:00:01 UTC [1] LOG:  token expired for session 42',
    ],
    // Spring Boot
    [
      '2026-11-25 08:00:08.977 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed',
      '2026-11-25 08:00:08.977 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed',
    ],
    [
      '2026-11-25 08:00:02.101  INFO 1 --- [main] c.e.Config : spring.datasource.url=jdbc:postgresql://db:5432/shop spring.datasource.password=Pg$ecret!',
      '2026-11-25 08:00:02.101  INFO 1 --- [main] c.e.Config : spring.datasource.url=jdbc:postgresql://db:5432/shop spring.datasource.password=<hidden>',
    ],
    [
      'Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "shop"',
      'Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "shop"',
    ],
    // Node
    [
      'Error: connect ECONNREFUSED 10.96.0.12:6379 at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      'Error: connect ECONNREFUSED 10.96.0.12:6379 at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
    ],
    [
      "redis: connecting to redis://default:r3d1s-pw@cache.shop.svc:6379 with { password: 'r3d1s-pw', tls: false }",
      "redis: connecting to redis://default:<hidden>@cache.shop.svc:6379 with { password: '<hidden>', tls: false }",
    ],
    // Go panic
    [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      'panic: runtime error: invalid memory address or nil pointer dereference',
    ],
    [
      'panic: oauth2: cannot fetch token: 401 Unauthorized Response: {"error":"invalid_client","client_secret":"xq9-Zz"}',
      'panic: oauth2: cannot fetch token: 401 Unauthorized Response: {"error":"invalid_client","client_secret":"<hidden>"}',
    ],
    // JSON logs
    [
      '{"level":"error","ts":1732521728.1,"msg":"login failed","user":"bob","token":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig","error":"token expired"}',
      '{"level":"error","ts":1732521728.1,"msg":"login failed","user":"bob","token":"eyJ<hidden>","error":"token expired"}',
    ],
    [
      '{"time":"2026-11-25T08:00:00Z","level":"INFO","msg":"request","headers":{"Authorization":"Bearer abc.def","Accept":"*/*"}}',
      '{"time":"2026-11-25T08:00:00Z","level":"INFO","msg":"request","headers":{"Authorization":"Bearer <hidden>","Accept":"*/*"}}',
    ],
    // klog: a controller names the Secret it reads
    [
      'E1125 08:00:01.000001       7 backend_ssl.go:47] "Error getting SSL certificate" err="local SSL certificate ingress/tls-cert was not found" secret="ingress/tls-cert"',
      'E1125 08:00:01.000001       7 backend_ssl.go:47] "Error getting SSL certificate" err="local SSL certificate ingress/tls-cert was not found" secret="ingress/tls-cert"',
    ],
    // Kubelet events
    [
      'MountVolume.SetUp failed for volume "tls" : references non-existent secret key: ca.crt',
      'MountVolume.SetUp failed for volume "tls" : references non-existent secret key: ca.crt',
    ],
    [
      "couldn't find key password in Secret shop/db-credentials",
      "couldn't find key password in Secret shop/db-credentials",
    ],
  ])('%s', (text, shown) => {
    expect(redactSecrets(text)).toBe(shown);
  });
});

describe('redactSecrets: URLs', () => {
  it.each([
    ['postgres://app:hunter2@db.shop:5432/prod', 'postgres://app:<hidden>@db.shop:5432/prod'],
    ['redis://:hunter2@redis.shop:6379/0', 'redis://:<hidden>@redis.shop:6379/0'],
    ['amqp://user:p@ss:w0rd@mq/vhost', 'amqp://user:<hidden>@mq/vhost'],
    [
      'dial postgres://app:a1@db and mysql://root:b2@mysql:3306 failed',
      'dial postgres://app:<hidden>@db and mysql://root:<hidden>@mysql:3306 failed',
    ],
    ['DATABASE_URL="postgres://app:hunter2@db"', 'DATABASE_URL="postgres://app:<hidden>@db"'],
    ['http://api:8080/users/bob@example.com', 'http://api:8080/users/bob@example.com'],
    ['https://example.com/path', 'https://example.com/path'],
    ['postgres://app@db:5432/prod', 'postgres://app@db:5432/prod'],
    ['user:pass@host without a scheme', 'user:pass@host without a scheme'],
    // A user alone that is a token: hidden, or kept with its shape's prefix.
    [
      'git clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r',
      'git clone https://ghp_<hidden>@github.com/o/r',
    ],
    [
      'https://glpat-x7Yz9aBcDeFgHiJk@gitlab.example.com/o/r.git',
      'https://<hidden>@gitlab.example.com/o/r.git',
    ],
    ['ssh://git@github.com/o/r', 'ssh://git@github.com/o/r'],
  ])('%s', (text, shown) => {
    expect(redactSecrets(text)).toBe(shown);
  });

  const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/);
  const user = fc.stringMatching(/^[A-Za-z0-9._%-]{0,10}$/);
  // Anything a password is written with but what ends a URL's authority (/) or the word (whitespace).
  const password = fc.stringMatching(/^[^\s/]{1,20}$/);
  const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,15}(:[0-9]{1,5})?$/);
  const rest = fc.stringMatching(/^(\/[^\s]{0,15})?$/);
  const around = fc.constantFrom('', 'dsn=', 'connect to ', '"', "DATABASE_URL='");

  it('hides any password and keeps the user, the host and the rest', () => {
    fc.assert(
      fc.property(around, scheme, user, password, host, rest, (before, s, u, p, h, r) => {
        const url = `${s}://${u}:${p}@${h}${r}`;
        expect(redactSecrets(`${before}${url} then`)).toBe(`${before}${s}://${u}:<hidden>@${h}${r} then`);
      }),
    );
  });
});

// Secrets as generators make them, in the places they are written: none may be left visible.
const base62 = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
const base64url = (min: number, max: number) =>
  fc.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${min},${max}}$`));
const shaped = fc.oneof(
  base62(36, 36).map((t) => ({ text: `ghp_${t}`, secret: t })),
  fc.stringMatching(/^[A-Z0-9]{16}$/).map((t) => ({ text: `AKIA${t}`, secret: t })),
  fc
    .tuple(base64url(8, 30), base64url(8, 60), base64url(8, 43))
    .map(([h, c, s]) => ({ text: `eyJ${h}.eyJ${c}.${s}`, secret: `${h}.eyJ${c}.${s}` })),
  base64url(35, 35).map((t) => ({ text: `AIza${t}`, secret: t })),
  base62(24, 99).map((t) => ({ text: `sk_live_${t}`, secret: t })),
  fc.stringMatching(/^[0-9]{10,13}-[A-Za-z0-9]{24}$/).map((t) => ({ text: `xoxb-${t}`, secret: t })),
  fc.stringMatching(/^[A-Za-z0-9._~+/-]{16,40}$/).map((t) => ({ text: `Bearer ${t}`, secret: t })),
);
// A password as people choose them: anything but what ends a word, and not what reads as no value, a reference
// (a variable, code, a Secret's namespace/name), or a sentence's word after a colon (all letters or all digits:
// `token: 401 Unauthorized` is one).
const password = fc
  .stringMatching(/^[A-Za-z0-9!#%()*+,./:=?@^_`{}~-]{8,24}$/)
  .filter(
    (p) =>
      !/^(?:[a-z]+|\d+)$/i.test(p) &&
      !/^[<$/]/.test(p) &&
      !/^[a-z_][\w.]*[[(]$/i.test(p) &&
      !/^[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*$/.test(p),
  );
const secretName = fc.constantFrom(
  'password',
  'DB_PASSWORD',
  'spring.datasource.password',
  'apiKey',
  'x-api-key',
  'client_secret',
  'AWS_SECRET_ACCESS_KEY',
  'access_token',
  'MYSQL_PWD',
  'authorization',
);
const named = fc.oneof(
  fc.tuple(secretName, password).map(([n, p]) => ({ text: `${n}=${p}`, secret: p })),
  fc.tuple(secretName, password).map(([n, p]) => ({ text: `${n}: ${p}`, secret: p })),
  fc
    .tuple(secretName, password)
    .map(([n, p]) => ({ text: `"${n}":"${p.replace(/["\\]/g, '')}"`, secret: p.replace(/["\\]/g, '') })),
  fc
    .tuple(secretName, password)
    .map(([n, p]) => ({ text: `${n}='${p.replace(/'/g, '')} x'`, secret: p.replace(/'/g, '') })),
  fc.tuple(fc.stringMatching(/^[a-z]{0,8}$/), password).map(([u, p]) => ({
    text: `postgres://${u}:${p.replace(/\//g, '')}@db:5432/x`,
    secret: p.replace(/\//g, ''),
  })),
);
const before = fc.constantFrom(
  '',
  'INFO ',
  '2026-11-25T08:00:00Z level=info ',
  '{"msg":"x",',
  'config: ',
  '(',
);
const after = fc.constantFrom('', ' done', ' user=app', '&next=1', ';', '"}', ')');

describe('redactSecrets: properties', () => {
  it('never leaves a generated secret visible, wherever it is written', () => {
    fc.assert(
      fc.property(before, fc.oneof(shaped, named), after, (b, { text, secret }, a) => {
        fc.pre(secret.length >= 8);
        expect(redactSecrets(`${b}${text}${a}`)).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  const fragment = fc.constantFrom(
    'password',
    'apiKey',
    'token',
    'key',
    '=',
    ':',
    ': ',
    '=>',
    '"',
    "'",
    '\\"',
    ' ',
    'Bearer ',
    'https://',
    '@',
    '/',
    'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
    '<hidden>',
    'hunter2',
    'abc',
    '$',
    '(',
  );

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 16 }), (parts) => {
        const once = redactSecrets(parts.join(''));
        expect(redactSecrets(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const once = redactSecrets(text);
        expect(redactSecrets(once)).toBe(once);
      }),
    );
  });

  it('leaves text with nothing secret-like in it as it is, to the character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (text) => {
        fc.pre(
          !/pass|secret|token|credential|auth|key|pw|bearer|gh[pousr]_|github_pat_|xox|AKIA|ASIA|eyJ|AIza|_live_|_test_|@/i.test(
            text,
          ),
        );
        expect(redactSecrets(text)).toBe(text);
      }),
    );
  });

  // Each shape would take seconds to minutes on one of these lines if a pattern backtracked quadratically.
  it.each([
    ['a long word', 'a'.repeat(100_000)],
    ['a dotted run', 'a.'.repeat(50_000)],
    ['many @ in a URL authority', `x://u:${'@a'.repeat(50_000)}`],
    ['many URL starts', 'a://:'.repeat(20_000)],
    ['many @ after a scheme run', `${'a.'.repeat(25_000)}://x${'@'.repeat(50_000)}`],
    // Quadratic before: every dot starts a scheme again, and each start reads the whole authority.
    ['a dotted scheme before a long password', `${'a.'.repeat(25_000)}://u:${'x'.repeat(50_000)}/@`],
    ['a dotted scheme before a long user', `${'a.'.repeat(25_000)}://${'x'.repeat(50_000)}/@`],
    ['assignments chained', 'a='.repeat(50_000)],
    ['secret names chained', 'password='.repeat(11_000)],
    ['colons after a secret word', `token${':'.repeat(100_000)}`],
    ['JWT-like runs', 'eyJ'.repeat(33_000)],
    ['dotted JWT starts', '.eyJa'.repeat(20_000)],
    ['an unterminated quoted value', `password="${'\\"'.repeat(50_000)}`],
    ['env entries chained', `{"name":"DB_PASSWORD"${',"value":1'.repeat(10_000)}`],
    ['bearer runs', 'Bearer '.repeat(14_000)],
    ['base64 with secret words', 'dG9rZW4ga2V5IHBhc3N3b3Jk+/='.repeat(4_000)],
  ])('stays linear on a 100 kB line: %s', (_name, line) => {
    const start = performance.now();
    redactSecrets(line);
    expect(performance.now() - start).toBeLessThan(250);
  });
});
