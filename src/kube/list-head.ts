// A LIST answer's metadata read from its first bytes, before the rest of the body has arrived or been parsed, so
// that the next page can be asked for while this one is still on its way (list-watch.ts). The API server writes
// a list's kind, apiVersion and metadata before its items (Go encodes a struct's fields in their order: TypeMeta,
// ListMeta, Items; so does the simulator), and ListMeta holds only strings and a number. Anything else, or too
// few bytes, reads as unknown: the caller then waits for the whole page.

export interface ListMetaAhead {
  continue?: string;
}

/** `{"kind":"PodList","apiVersion":"v1","metadata":{…}` at the start, metadata with no object inside. */
const HEAD = /^\s*\{(?:\s*"(?:kind|apiVersion)"\s*:\s*"[^"\\]*"\s*,)*\s*"metadata"\s*:\s*(\{[^{}]*\})/;

/** The metadata at the start of a list's JSON text, or undefined when it cannot be read from `head` alone. */
export function listMetaAhead(head: string): ListMetaAhead | undefined {
  const text = HEAD.exec(head)?.[1];
  if (text === undefined) return undefined;
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { continue: next } = metadata as Record<string, unknown>;
  return typeof next === 'string' ? { continue: next } : {};
}
