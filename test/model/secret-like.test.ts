import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hideUrlPasswords, looksSecret, maskSecretArgs } from '../../src/model/secret-like.js';

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
      ['sh', '-c', 'export DB_PASSWORD=<hidden> && exec app --auth-token=<hidden>'],
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

describe('hideUrlPasswords', () => {
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
  ])('%s', (text, shown) => {
    expect(hideUrlPasswords(text)).toBe(shown);
  });

  const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/);
  const user = fc.stringMatching(/^[A-Za-z0-9._%-]{0,10}$/);
  // Anything a password is written with but what ends a URL's authority (/ ? #) or the word (whitespace).
  const password = fc.stringMatching(/^[^\s/?#]{1,20}$/);
  const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,15}(:[0-9]{1,5})?$/);
  const rest = fc.stringMatching(/^(\/[^\s]{0,15})?$/);
  const around = fc.constantFrom('', 'dsn=', 'connect to ', '"', "DATABASE_URL='");

  it('hides any password and keeps the user, the host and the rest', () => {
    fc.assert(
      fc.property(around, scheme, user, password, host, rest, (before, s, u, p, h, r) => {
        const url = `${s}://${u}:${p}@${h}${r}`;
        expect(hideUrlPasswords(`${before}${url} then`)).toBe(`${before}${s}://${u}:<hidden>@${h}${r} then`);
      }),
    );
  });

  it('leaves text without a URL password as it is, and hidden text as it is', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const once = hideUrlPasswords(text);
        expect(hideUrlPasswords(once)).toBe(once);
        if (!text.includes('@')) expect(once).toBe(text);
      }),
    );
  });
});
