import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeConnections } from '../../src/kube/connections.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { scopeNotes } from '../../src/kube/scope.js';
import { type FakeApiServer, startFakeApiServer } from './fake-apiserver.js';

// What explain says of a named namespace without pods: only a 403 is a missing permission; a server that cannot
// be reached says so in its own words.

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
