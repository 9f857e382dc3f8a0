import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeConnections } from '../../src/kube/connections.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { namespaceNote } from '../../src/kube/namespace-lifecycle.js';
import { scopeNotes } from '../../src/kube/scope.js';
import { type FakeApiServer, startFakeApiServer } from './fake-apiserver.js';

// What is said of a named namespace without pods: only a 403 is a missing permission, never a server that cannot
// be reached.

let server: FakeApiServer;

beforeEach(async () => {
  server = await startFakeApiServer();
});

afterEach(async () => {
  closeConnections();
  await server.close();
});

describe('scopeNotes', () => {
  it.each([
    { context: 'fake', note: 'namespace "shop" does not exist in context fake' },
    {
      context: 'refused',
      note: /^namespace "shop" has no pods you may see, and whether it exists could not be checked \(reading it from context refused failed\)$/,
    },
  ])('an empty namespace in context $context', async ({ context, note }) => {
    const [resolved] = await resolveContexts({ kubeconfig: server.kubeconfigPath, contexts: [context] });
    const looked = { context, namespaces: ['shop'], pods: 0, notes: [] };
    const { notes } = await scopeNotes(resolved!, looked, new Map());
    expect(notes).toEqual([expect.stringMatching(note)]);
    expect(notes.join('\n')).not.toContain('permission');
  });
});

describe('namespaceNote (a watched namespace whose pods went)', () => {
  it.each([
    {
      phase: 'forbidden',
      pods: 0,
      note: /cannot be checked \(no permission to get namespaces in context prod\)$/,
    },
    { phase: 'forbidden', pods: 3, note: undefined },
    // No answer, or a server error: says nothing of the namespace (the watch line says what is wrong).
    { phase: 'unknown', pods: 0, note: undefined },
  ] as const)('$phase with $pods pods left', ({ phase, pods, note }) => {
    const said = namespaceNote('prod', 'shop', phase, pods);
    if (note === undefined) expect(said).toBeUndefined();
    else expect(said).toMatch(note);
  });
});
