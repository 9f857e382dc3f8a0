import { ACCESS_REVIEW_GROUP, ACCESS_REVIEW_RESOURCES } from './access-review.js';
import { apiVersionOf, type Resource } from './resources.js';

// Discovery documents in their legacy JSON form, which kubectl and k9s accept when aggregated discovery is not
// offered (reference/kubectl-requests.md). They are built from the served resources, so they advertise exactly
// what the simulator answers.

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-crashtop-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-25T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

const READ = ['get', 'list', 'watch'];

/** Subresources served next to their resource's own verbs. */
const SUBRESOURCES: Record<string, { name: string; kind: string; verbs: string[] }[]> = {
  '': [{ name: 'pods/log', kind: 'Pod', verbs: ['get'] }],
};

interface DiscoveredResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
}

function groupVersion(group: string, version: string) {
  const gv = group ? `${group}/${version}` : version;
  return { groupVersion: gv, version };
}

function apiGroup(group: string) {
  const version = groupVersion(group, 'v1');
  return { name: group, versions: [version], preferredVersion: version };
}

/** The groups other than core, each at v1. */
function groups(served: readonly Resource[]): string[] {
  return [...new Set([...served.map((r) => r.group).filter((g) => g !== ''), ACCESS_REVIEW_GROUP])].sort();
}

export function apiGroupList(served: readonly Resource[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups(served).map(apiGroup) };
}

/** `/apis/GROUP`, or undefined for a group the simulator does not serve. */
export function apiGroupDocument(served: readonly Resource[], group: string) {
  if (!groups(served).includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

/** `/api/v1` or `/apis/GROUP/v1`, or undefined for a group version the simulator does not serve. */
export function apiResourceList(served: readonly Resource[], group: string, version: string) {
  if (version !== 'v1' || (group !== '' && !groups(served).includes(group))) return undefined;
  const resources: DiscoveredResource[] = served
    .filter((r) => r.group === group)
    .map((r) => ({
      name: r.plural,
      singularName: r.kind.toLowerCase(),
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: READ,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    }));
  for (const sub of SUBRESOURCES[group] ?? []) {
    resources.push({ name: sub.name, singularName: '', namespaced: true, kind: sub.kind, verbs: sub.verbs });
  }
  if (group === ACCESS_REVIEW_GROUP) {
    for (const review of ACCESS_REVIEW_RESOURCES) {
      resources.push({
        name: review.plural,
        singularName: '',
        namespaced: false,
        kind: review.kind,
        verbs: ['create'],
      });
    }
  }
  resources.sort((a, b) => a.name.localeCompare(b.name));
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version: 'v1' }),
    resources,
  };
}
