// kubectl (client-go) posts SelfSubjectAccessReviews and SelfSubjectRulesReviews as Kubernetes protobuf
// (`Content-Type: application/vnd.kubernetes.protobuf`): the magic bytes `k8s\0`, then a runtime.Unknown whose
// `raw` field holds the review. This reads the few fields a review's spec has into the JSON shape
// (k8s.io/api/authorization/v1/generated.proto); the answer goes back as JSON, which clients also accept.

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

type Fields = Map<number, Uint8Array[]>;

export class ProtobufError extends Error {}

/** The length-delimited fields of one message (numbers → values); varints are skipped. */
function fields(bytes: Uint8Array): Fields {
  const out: Fields = new Map();
  let at = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (at >= bytes.length) throw new ProtobufError('truncated varint');
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new ProtobufError('varint too long');
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        varint();
        break;
      case 2: {
        const length = varint();
        if (at + length > bytes.length) throw new ProtobufError('truncated field');
        const list = out.get(field) ?? [];
        list.push(bytes.subarray(at, at + length));
        out.set(field, list);
        at += length;
        break;
      }
      case 1:
        at += 8;
        break;
      case 5:
        at += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${key & 7}`);
    }
    if (at > bytes.length) throw new ProtobufError('truncated field');
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const last = (f: Fields, n: number) => f.get(n)?.at(-1);
const text = (f: Fields, n: number) => {
  const value = last(f, n);
  return value === undefined ? undefined : decoder.decode(value);
};
const message = (f: Fields, n: number) => {
  const value = last(f, n);
  return value === undefined ? undefined : fields(value);
};

/** Decodes a protobuf-encoded review into `{ kind, spec }`, with the spec as the JSON form spells it. */
export function decodeReview(body: Uint8Array): { kind?: string; spec: Record<string, unknown> } {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    throw new ProtobufError('not a Kubernetes protobuf message (no k8s\\0 prefix)');
  }
  const unknown = fields(body.subarray(MAGIC.length));
  const typeMeta = message(unknown, 1);
  const kind = typeMeta && text(typeMeta, 2);
  const review = fields(last(unknown, 2) ?? new Uint8Array());
  const spec = message(review, 2) ?? new Map();
  if (kind === 'SelfSubjectRulesReview') return { kind, spec: { namespace: text(spec, 1) ?? '' } };
  const out: Record<string, unknown> = {};
  const resource = message(spec, 1);
  if (resource) {
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    out.resourceAttributes = Object.fromEntries(names.map((name, i) => [name, text(resource, i + 1) ?? '']));
  }
  const nonResource = message(spec, 2);
  if (nonResource)
    out.nonResourceAttributes = { path: text(nonResource, 1) ?? '', verb: text(nonResource, 2) ?? '' };
  return { kind, spec: out };
}
