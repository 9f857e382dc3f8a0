import { createHash } from 'node:crypto';

// Deterministic names and ids: the same scenario gives the same pod names, uids and container ids on every run,
// so documentation, screenshots and tests can refer to them.

// The alphabet of k8s.io/apimachinery `util/rand.SafeEncodeString` (no vowels, no look-alikes), which names
// ReplicaSets' pod-template-hash and generated pod suffixes.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

export function safeSuffix(seed: string, length: number): string {
  const bytes = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) out += SAFE_ALPHABET[bytes[i]! % SAFE_ALPHABET.length];
  return out;
}

export function uid(seed: string): string {
  const hex = digest(`uid:${seed}`).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function hex64(seed: string): string {
  return digest(seed).toString('hex');
}

/** A small integer from a seed, for spreading pods over nodes and IPs. */
export function seededInt(seed: string, modulo: number): number {
  return digest(seed).readUInt32BE(0) % modulo;
}
