import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Cause, diagnose } from '../../src/model/classify/index.js';
import type { Pod } from '../../src/model/pod.js';
import {
  noteReadingLog,
  noteUnavailableEvents,
  noteUnavailableLogs,
} from '../../src/model/unavailable-evidence.js';

const cause = (container: string, evidence: string[]): Cause => ({
  id: 'unknown',
  container,
  confidence: 'low',
  title: 'No known cause matches the evidence',
  evidence,
  fix: 'Read the previous log and the events.',
  commands: [],
});

describe('noteUnavailableLogs', () => {
  const app = cause('app', ['lastState.terminated.exitCode: 1', 'no previous log']);
  const sidecar = cause('sidecar', ['lastState.terminated.exitCode: 2', 'no previous log']);
  const diagnosis = { cause: app, containers: [app, sidecar] };

  it.each([
    {
      name: 'replaces "no previous log" with the reason, for that container only',
      unavailable: new Map([['app', 'cannot get pods/log (500 InternalError): connection refused']]),
      expected: {
        app: [
          'lastState.terminated.exitCode: 1',
          'previous log unavailable: cannot get pods/log (500 InternalError): connection refused',
        ],
        sidecar: ['lastState.terminated.exitCode: 2', 'no previous log'],
      },
    },
    {
      name: 'adds the reason to a cause found without the log',
      unavailable: new Map([['sidecar', 'timeout']]),
      expected: {
        app: ['lastState.terminated.exitCode: 1', 'no previous log'],
        sidecar: ['lastState.terminated.exitCode: 2', 'previous log unavailable: timeout'],
      },
    },
    {
      name: 'leaves everything alone when every log was read',
      unavailable: new Map<string, string>(),
      expected: {
        app: ['lastState.terminated.exitCode: 1', 'no previous log'],
        sidecar: ['lastState.terminated.exitCode: 2', 'no previous log'],
      },
    },
  ])('$name', ({ unavailable, expected }) => {
    const noted = noteUnavailableLogs(diagnosis, unavailable);
    expect(noted.containers.map((c) => c.evidence)).toEqual([expected.app, expected.sidecar]);
    expect(noted.cause).toBe(noted.containers[0]);
    expect(diagnosis.containers[0]!.evidence).toEqual([
      'lastState.terminated.exitCode: 1',
      'no previous log',
    ]);
  });
});

describe('noteUnavailableEvents', () => {
  const app = cause('app', ['lastState.terminated.exitCode: 1']);
  const sidecar = cause('sidecar', ['lastState.terminated.exitCode: 2']);

  it('adds the reason to every cause of the pod, `cause` still the first container', () => {
    const noted = noteUnavailableEvents(
      { cause: app, containers: [app, sidecar] },
      'etcdserver: request timed out',
    );
    expect(noted.containers.map((c) => c.evidence.at(-1))).toEqual([
      'events unavailable: etcdserver: request timed out',
      'events unavailable: etcdserver: request timed out',
    ]);
    expect(noted.cause).toBe(noted.containers[0]);
  });

  it('changes nothing when the events were read', () => {
    const diagnosis = { cause: app, containers: [app] };
    expect(noteUnavailableEvents(diagnosis, undefined)).toBe(diagnosis);
  });
});

describe('noteReadingLog', () => {
  /** No rule explains this crash loop: without a log the classifier says "no previous log". */
  const pod = parse(
    readFileSync(new URL('../fixtures/pods/unknown--exit-1-no-logs.yaml', import.meta.url), 'utf8'),
  ) as Pod;
  const unread = diagnose({ pod });

  it.each([
    { name: 'says the log being read is being read', container: 'bridge', reading: true },
    { name: 'leaves other containers alone', container: 'sidecar', reading: false },
    { name: 'changes nothing when no read is pending', container: undefined, reading: false },
  ])('$name', ({ container, reading }) => {
    expect(unread.cause?.evidence).toContain('no previous log');
    const noted = noteReadingLog(unread, container);
    expect(noted.cause?.evidence.includes('previous log: reading…')).toBe(reading);
    expect(noted.cause?.evidence.includes('no previous log')).toBe(!reading);
    expect(noted.cause?.evidence.length).toBe(unread.cause?.evidence.length);
  });
});
