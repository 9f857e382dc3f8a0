import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReview, ProtobufError } from '../../../src/sim/http/review-protobuf.js';

// Request bodies kubectl 1.32.4 posted (captured from a plain HTTP server, base64), and what they say.
const CAPTURED: { command: string; base64: string; decoded: ReturnType<typeof decodeReview> }[] = [
  {
    command: 'kubectl auth can-i get pods mypod -n shop',
    base64:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPgoQCgASABoAIgAqADIAOABCABIgCh4KBHNob3ASA2dldBoAIgAqBHBvZHMyADoFbXlwb2QaCAgAEgAaACAAGgAiAA==',
    decoded: {
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          namespace: 'shop',
          verb: 'get',
          group: '',
          version: '',
          resource: 'pods',
          subresource: '',
          name: 'mypod',
        },
      },
    },
  },
  {
    command: 'kubectl auth can-i --list -n shop',
    base64:
      'azhzAAoxChdhdXRob3JpemF0aW9uLms4cy5pby92MRIWU2VsZlN1YmplY3RSdWxlc1JldmlldxIgChAKABIAGgAiACoAMgA4AEIAEgYKBHNob3AaBBgAIgAaACIA',
    decoded: { kind: 'SelfSubjectRulesReview', spec: { namespace: 'shop' } },
  },
  {
    command: 'kubectl auth can-i get /version',
    base64:
      'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABCABIREg8KCC92ZXJzaW9uEgNnZXQaCAgAEgAaACAAGgAiAA==',
    decoded: {
      kind: 'SelfSubjectAccessReview',
      spec: { nonResourceAttributes: { path: '/version', verb: 'get' } },
    },
  },
];

/** The encoder side, for the property test: length-delimited fields only, as the reviews use. */
function encode(fieldsOf: [number, Uint8Array | string][]): Uint8Array {
  const parts: number[] = [];
  const varint = (n: number) => {
    while (n >= 0x80) {
      parts.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    parts.push(n);
  };
  for (const [field, value] of fieldsOf) {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    varint(field * 8 + 2);
    varint(bytes.length);
    parts.push(...bytes);
  }
  return Uint8Array.from(parts);
}

const NAMES = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;

describe('decodeReview', () => {
  it.each(CAPTURED)('reads what $command posts', ({ base64, decoded }) => {
    expect(decodeReview(Buffer.from(base64, 'base64'))).toEqual(decoded);
  });

  it('reads back any resource attributes it is given', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 7, maxLength: 7 }), (values) => {
        const attributes = encode(values.map((v, i) => [i + 1, v]));
        const typeMeta = encode([
          [1, 'authorization.k8s.io/v1'],
          [2, 'SelfSubjectAccessReview'],
        ]);
        const review = encode([
          [1, new Uint8Array()],
          [2, encode([[1, attributes]])],
        ]);
        const body = Uint8Array.from([
          0x6b,
          0x38,
          0x73,
          0x00,
          ...encode([
            [1, typeMeta],
            [2, review],
          ]),
        ]);
        expect(decodeReview(body).spec.resourceAttributes).toEqual(
          Object.fromEntries(NAMES.map((name, i) => [name, values[i]])),
        );
      }),
    );
  });

  it('refuses bodies that are not Kubernetes protobuf, or are cut short', () => {
    expect(() => decodeReview(Buffer.from('{"kind":"SelfSubjectAccessReview"}'))).toThrow(ProtobufError);
    const whole = Buffer.from(CAPTURED[0]!.base64, 'base64');
    for (const length of [5, 20, whole.length - 3]) {
      expect(() => decodeReview(whole.subarray(0, length))).toThrow(ProtobufError);
    }
  });
});
