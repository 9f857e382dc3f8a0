import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/kube/http.js';
import { NamespaceLifecycle } from '../../src/kube/namespace-lifecycle.js';

// The namespace read is answered by hand, so a pod's deletion can be reported while a read is on its way: what
// the deletion says may have happened after that read's answer was made, so it is read once more.

interface Pending {
  resolve(object: unknown): void;
}

function fakeClient(): { client: KubeClient; reads: Pending[] } {
  const reads: Pending[] = [];
  const client = {
    context: { name: 'prod', server: 'https://prod.example:6443' },
    getJson: () => new Promise((resolve) => reads.push({ resolve })),
  } as unknown as KubeClient;
  return { client, reads };
}

describe('NamespaceLifecycle', () => {
  it('reads the namespace again when a pod was deleted while a read was on its way', async () => {
    const { client, reads } = fakeClient();
    const notes: (string | undefined)[] = [];
    const lifecycle = new NamespaceLifecycle({
      client,
      namespace: 'shop',
      podsLeft: () => 0,
      onNote: (note) => notes.push(note),
      settleMs: 1,
      recheckMs: 1,
    });
    try {
      lifecycle.poke();
      await expect.poll(() => reads.length).toBe(1);
      lifecycle.poke();
      reads[0]!.resolve({ status: { phase: 'Active' } });
      await expect.poll(() => reads.length).toBe(2);
      reads[1]!.resolve({ status: { phase: 'Terminating' } });
      await expect.poll(() => notes.at(-1)).toMatch(/^namespace "shop" is being deleted \(Terminating\)/);
    } finally {
      lifecycle.stop();
    }
  });
});
