import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';
import { runCli } from '../helpers/run-cli.js';

// `crashtop explain` reads each crashing pod's Deployment: Flux and Argo CD mark the Deployment, not its pods, so
// only then does the fix name the app to change in Git and lead with the command that pauses it. When the
// Deployment cannot be read, the report says so instead of guessing.

interface JsonPod {
  name: string;
  cause?: { id: string; fix: string; commands: string[] };
}

let sim: RunningSim;
beforeAll(async () => {
  const scenario = await loadScenario(new URL('../fixtures/sim/gitops.yaml', import.meta.url).pathname);
  sim = await startSim({ scenario });
});
afterAll(async () => {
  await sim.close();
});

async function causes(): Promise<Map<string, NonNullable<JsonPod['cause']>>> {
  const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-n', 'apps', '-o', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const pods = (JSON.parse(result.stdout) as { pods: JsonPod[] }).pods;
  return new Map(pods.map((pod) => [pod.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, ''), pod.cause!]));
}

describe('crashtop explain: ownership decides the command', () => {
  it('names the Flux Kustomization and the Argo CD application read from the Deployments', async () => {
    const byWorkload = await causes();
    const flux = byWorkload.get('podinfo')!;
    expect(flux.id).toBe('oom-killed');
    expect(flux.fix).toContain(
      'deployment/podinfo is managed by Flux Kustomization apps in namespace flux-system (labels kustomize.toolkit.fluxcd.io/name, kustomize.toolkit.fluxcd.io/namespace on deployment/podinfo)',
    );
    expect(flux.commands.slice(0, 2)).toEqual([
      `flux --kubeconfig ${sim.kubeconfigPath} --context crashtop-sim suspend kustomization apps -n flux-system`,
      `kubectl --kubeconfig ${sim.kubeconfigPath} --context crashtop-sim set resources deployment/podinfo -n apps -c podinfod --limits=memory=256Mi`,
    ]);
    const argo = byWorkload.get('guestbook-ui')!;
    expect(argo.fix).toContain('deployment/guestbook-ui is managed by Argo CD application guestbook');
    expect(argo.commands[0]).toBe('argocd app set guestbook --sync-policy none');
    const byHand = byWorkload.get('by-hand')!;
    expect(byHand.commands[0]).toMatch(/ set resources deployment\/by-hand /);
    expect(byHand.fix).not.toMatch(/Argo|Flux|crashtop/);
  });

  it('says plainly when the Deployments cannot be read', async () => {
    // A Role that lets the token read pods, their logs and events, but not apps/v1 Deployments.
    sim.cluster.deny(['deployments']);
    try {
      const byWorkload = await causes();
      expect(byWorkload.size).toBe(3);
      for (const [name, cause] of byWorkload) {
        expect(cause.commands[0], name).toMatch(/ set resources /);
        expect(cause.fix, name).toContain(
          `(crashtop could not read deployment/${name} (context crashtop-sim may not get deployments in namespace apps): if Argo CD or Flux manages it, a direct change is reverted at its next sync; make the change in Git then.)`,
        );
      }
    } finally {
      sim.cluster.deny(undefined);
    }
  });
});
