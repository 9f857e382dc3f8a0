// A resource path of the API, core (`/api/v1/…`) or of a group (`/apis/apps/v1/…`):
//   [/namespaces/NS]/PLURAL[/NAME[/SUBRESOURCE]]
// `/api/v1/namespaces/NS` itself is the Namespace NS.

export interface ResourcePath {
  group: string;
  version: string;
  namespace?: string;
  plural: string;
  name?: string;
  subresource?: string;
}

const PREFIX = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/;

export function parseResourcePath(path: string): ResourcePath | undefined {
  const match = PREFIX.exec(path);
  if (!match) return undefined;
  const group = match[2] ?? '';
  const version = (match[1] ?? match[3])!;
  const parts = match[4]!.split('/').map(decodeURIComponent);
  if (parts.some((part) => part === '')) return undefined;
  const [first, second, third, fourth, fifth, ...rest] = parts;
  if (first === 'namespaces' && third !== undefined) {
    if (rest.length > 0) return undefined;
    return { group, version, namespace: second, plural: third, name: fourth, subresource: fifth };
  }
  if (fourth !== undefined) return undefined;
  return { group, version, plural: first!, name: second, subresource: third };
}
