// Which GitOps controller owns a workload, from the labels and annotations it writes. A direct `kubectl set`,
// `patch` or `rollout undo` on such a workload is undone by the controller, so the fix must name the app to
// change in Git (and, for a deliberate emergency change, how to pause it first).
//
// The names, as the controllers' sources write them:
// - Argo CD (argoproj/argo-cd): `common/common.go` AnnotationKeyAppInstance `argocd.argoproj.io/tracking-id`,
//   valued `<app>:<group>/<kind>:<namespace>/<name>` (`util/argo/resource_tracking.go` BuildAppInstanceValue;
//   `<app>` is `<app namespace>_<app>` for an Application outside Argo CD's namespace); the tracking label key
//   is configurable (`application.instanceLabelKey`, default `app.kubernetes.io/instance`, which Helm charts
//   set too, so it proves nothing alone; `argocd.argoproj.io/instance` is the key Argo CD's FAQ suggests);
//   LabelKeyLegacyApplicationName `applications.argoproj.io/app-name` (v0.10 and older).
// - Flux: `fluxcd/pkg/ssa` ResourceManager.SetOwnerLabels writes `<group>/name` and `<group>/namespace`, so the
//   kustomize-controller writes `kustomize.toolkit.fluxcd.io/name|namespace`; the helm-controller's
//   `internal/postrender/origin_labels.go` writes `helm.toolkit.fluxcd.io/name|namespace`.
//
// Where they are written matters: all of these go on the top-level object's `metadata` only. Argo CD stopped
// copying its label into pod templates in v0.11 (`util/kube/kube.go` SetAppInstanceLabel, legacy key only), and
// both Flux transformers use the `metadata/labels` field spec. So a pod shows them only when the manifests put
// them in the template themselves; the Deployment has to be read to know (see WorkloadLookup).
import type { ObjectMeta } from './pod.js';

export type GitOpsOwner =
  | {
      tool: 'argocd';
      /** The Application's name. */
      app: string;
      /** Set when the Application lives outside Argo CD's own namespace (apps in any namespace). */
      appNamespace?: string;
      /** The label or annotation that says so, e.g. `annotation argocd.argoproj.io/tracking-id`. */
      marker: string;
    }
  | {
      tool: 'flux';
      kind: 'Kustomization' | 'HelmRelease';
      name: string;
      namespace: string;
      marker: string;
    };

/** The owning workload's metadata as read from the API server, or why it could not be read. */
export type WorkloadLookup = { found: Pick<ObjectMeta, 'labels' | 'annotations'> } | { unavailable: string };

/** Argo CD's instance value: `app` or `namespace_app` (names are DNS labels, so `_` only separates). */
function argoApp(value: string, marker: string): GitOpsOwner | undefined {
  const [first, second] = value.split('_');
  if (!first) return undefined;
  return second
    ? { tool: 'argocd', app: second, appNamespace: first, marker }
    : { tool: 'argocd', app: first, marker };
}

/** The GitOps owner these labels/annotations name, if any. */
export function gitOpsOwnerOf(meta: Pick<ObjectMeta, 'labels' | 'annotations'>): GitOpsOwner | undefined {
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  for (const [group, kind] of [
    ['helm.toolkit.fluxcd.io', 'HelmRelease'],
    ['kustomize.toolkit.fluxcd.io', 'Kustomization'],
  ] as const) {
    const name = labels[`${group}/name`];
    const namespace = labels[`${group}/namespace`];
    if (name && namespace) {
      return { tool: 'flux', kind, name, namespace, marker: `labels ${group}/name, ${group}/namespace` };
    }
  }
  const tracking = annotations['argocd.argoproj.io/tracking-id'];
  if (tracking?.includes(':')) {
    const owner = argoApp(
      tracking.slice(0, tracking.indexOf(':')),
      'annotation argocd.argoproj.io/tracking-id',
    );
    if (owner) return owner;
  }
  for (const key of ['argocd.argoproj.io/instance', 'applications.argoproj.io/app-name']) {
    const owner = labels[key] ? argoApp(labels[key], `label ${key}`) : undefined;
    if (owner) return owner;
  }
  return undefined;
}

/** `Argo CD application shop/payments`, `Flux Kustomization apps in namespace flux-system`. */
export function gitOpsOwnerName(owner: GitOpsOwner): string {
  if (owner.tool === 'argocd') {
    return `Argo CD application ${owner.appNamespace ? `${owner.appNamespace}/` : ''}${owner.app}`;
  }
  return `Flux ${owner.kind} ${owner.name} in namespace ${owner.namespace}`;
}
