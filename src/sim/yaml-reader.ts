import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { parseGoDuration } from '../model/duration.js';

// Typed reads of a YAML document that fail with `FILE:LINE: what is wrong`, the line being the offending node's,
// so a user with a typo in a 300-line scenario is sent straight to it.

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
}

export class YamlReader {
  private readonly lines = new LineCounter();
  private readonly doc: Document;
  readonly root: Node | null;

  constructor(
    private readonly file: string,
    text: string,
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    this.doc = doc;
    const [error] = doc.errors;
    if (error) {
      const line = error.linePos?.[0].line ?? 1;
      throw new ScenarioError(`${file}:${line}: ${error.message.split('\n')[0]}`);
    }
    this.root = doc.contents as Node | null;
  }

  fail(node: Node | null | undefined, message: string): never {
    const offset = node?.range?.[0] ?? 0;
    throw new ScenarioError(`${this.file}:${this.lines.linePos(offset).line}: ${message}`);
  }

  map(node: Node | null | undefined, what: string): YAMLMap<Node, Node> {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping`);
    return node as YAMLMap<Node, Node>;
  }

  seq(node: Node | null | undefined, what: string): YAMLSeq<Node> {
    if (!isSeq(node)) this.fail(node, `${what} must be a list`);
    return node as YAMLSeq<Node>;
  }

  /** The value of `key`, or undefined; unknown keys are errors so that typos do not pass silently. */
  get(map: YAMLMap<Node, Node>, key: string): Node | undefined {
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === key) return (pair.value ?? undefined) as Node | undefined;
    }
    return undefined;
  }

  onlyKeys(map: YAMLMap<Node, Node>, allowed: readonly string[], what: string): void {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!allowed.includes(key)) {
        this.fail(pair.key, `unknown key "${key}" in ${what} (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  string(node: Node | null | undefined, what: string): string {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      this.fail(node, `${what} must be a string`);
    }
    return String(node.value);
  }

  integer(node: Node | null | undefined, what: string, min: number, max: number): number {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(node, `${what} must be a whole number from ${min} to ${max}`);
    }
    return value;
  }

  durationMs(node: Node | null | undefined, what: string): number {
    const text = isScalar(node) ? String(node.value) : '';
    const ms = parseGoDuration(text);
    if (ms === undefined || ms < 0) this.fail(node, `${what} must be a duration like 30s, 5m or 1h30m`);
    return ms;
  }

  /** A plain JavaScript value, for Kubernetes fields the simulator passes through untouched. */
  plain(node: Node | null | undefined): unknown {
    return node ? (node as unknown as { toJS(doc: Document): unknown }).toJS(this.doc) : undefined;
  }
}
