import { describe, expect, it } from 'vitest';
import { maskSecretArgs } from '../../src/model/secret-like.js';

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
