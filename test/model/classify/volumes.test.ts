import { describe, expect, it } from 'vitest';
import { volumeHolding } from '../../../src/model/classify/volumes.js';
import type { Container, Volume } from '../../../src/model/pod.js';

describe('volumeHolding', () => {
  const container: Container = {
    name: 'db',
    volumeMounts: [
      { name: 'data', mountPath: '/var/lib/postgresql/' },
      { name: 'wal', mountPath: '/var/lib/postgresql/data/pg_wal' },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
  const volumes: Volume[] = [
    { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
    { name: 'wal', persistentVolumeClaim: { claimName: 'wal-db-0' } },
    { name: 'tmp', emptyDir: {} },
  ];

  it.each([
    ['/var/lib/postgresql/data', { volume: 'data', mountPath: '/var/lib/postgresql/', claim: 'data-db-0' }],
    ['/var/lib/postgresql', { volume: 'data', mountPath: '/var/lib/postgresql/', claim: 'data-db-0' }],
    [
      '/var/lib/postgresql/data/pg_wal/000001',
      { volume: 'wal', mountPath: '/var/lib/postgresql/data/pg_wal', claim: 'wal-db-0' },
    ],
    ['/tmp/x', { volume: 'tmp', mountPath: '/tmp' }],
    ['/var/lib/postgresqlx', undefined],
    ['/etc/passwd', undefined],
  ])('%s', (path, expected) => {
    expect(volumeHolding(container, volumes, path)).toEqual(expected);
  });

  it('is undefined without a container spec', () => {
    expect(volumeHolding(undefined, volumes, '/tmp')).toBeUndefined();
  });
});
