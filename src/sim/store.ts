// The simulated etcd + watch cache for one resource kind. One resourceVersion counter is shared by all kinds (as in
// etcd), every stored object is serialised once when it changes (lists and watches send these strings as they are,
// which is what makes a 10,000-pod list cheap), and a bounded history of changes lets a watch resume from an older
// resourceVersion; anything older than the retained window is "too old" (HTTP 410).

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** What selectors need of an object, kept next to its JSON so that filtering never parses JSON. */
export interface StoredObject {
  key: string;
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, string>>;
  rv: number;
  json: string;
}

export interface Change {
  rv: number;
  type: ChangeType;
  object: StoredObject;
  /** The object before this change, so a filtered watch can turn "stopped matching" into DELETED. */
  previous?: StoredObject;
}

export class ResourceVersions {
  private current = 1;
  next(): number {
    this.current += 1;
    return this.current;
  }
  get latest(): number {
    return this.current;
  }
}

export interface Storable {
  metadata: { name: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
}

export class ResourceStore<T extends Storable> {
  private readonly objects = new Map<string, StoredObject>();
  private sortedKeys: string[] | undefined;
  private readonly history: Change[] = [];
  private historyStart = 0;
  /** Changes with rv > floor are all in `history`. */
  private floor: number;
  private last: number;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(
    private readonly versions: ResourceVersions,
    private readonly fieldsOf: (object: T) => Record<string, string>,
    private readonly historyLimit = 20_000,
  ) {
    this.floor = versions.latest;
    this.last = versions.latest;
  }

  put(object: T): StoredObject {
    const namespace = object.metadata.namespace ?? '';
    const key = namespace ? `${namespace}/${object.metadata.name}` : object.metadata.name;
    const previous = this.objects.get(key);
    if (previous) {
      // A write that changes nothing is no write: the kubelet sends no status equal to the one it sent last
      // (pkg/kubelet/status/status_manager.go updateStatusInternal, "Ignoring same status for pod"), and etcd3's
      // GuaranteedUpdate keeps an object whose bytes did not change, with its resourceVersion, telling no watch.
      object.metadata.resourceVersion = String(previous.rv);
      if (JSON.stringify(object) === previous.json) return previous;
    }
    const rv = this.versions.next();
    object.metadata.resourceVersion = String(rv);
    const stored: StoredObject = {
      key,
      namespace,
      name: object.metadata.name,
      labels: object.metadata.labels ?? {},
      fields: {
        'metadata.name': object.metadata.name,
        'metadata.namespace': namespace,
        ...this.fieldsOf(object),
      },
      rv,
      json: JSON.stringify(object),
    };
    this.objects.set(key, stored);
    if (!previous) this.sortedKeys = undefined;
    this.record(
      previous ? { rv, type: 'MODIFIED', object: stored, previous } : { rv, type: 'ADDED', object: stored },
    );
    return stored;
  }

  delete(key: string): void {
    const previous = this.objects.get(key);
    if (!previous) return;
    this.objects.delete(key);
    this.sortedKeys = undefined;
    const rv = this.versions.next();
    // A deleted object is sent with the resourceVersion of its deletion, as the real server does.
    const json = previous.json.replace(`"resourceVersion":"${previous.rv}"`, `"resourceVersion":"${rv}"`);
    this.record({ rv, type: 'DELETED', object: { ...previous, rv, json }, previous });
  }

  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  get size(): number {
    return this.objects.size;
  }

  /** All objects in key order (namespace/name), the order etcd lists them in. */
  list(): StoredObject[] {
    this.sortedKeys ??= [...this.objects.keys()].sort();
    return this.sortedKeys.map((key) => this.objects.get(key)!);
  }

  /** Every change after `rv`, or `undefined` when some of them are no longer retained. */
  changesSince(rv: number): Change[] | undefined {
    if (rv < this.floor) return undefined;
    let low = this.historyStart;
    let high = this.history.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.history[mid]!.rv > rv) high = mid;
      else low = mid + 1;
    }
    return this.history.slice(low);
  }

  /**
   * The resourceVersion of this kind's newest change (the shared counter's value when the store began, before any):
   * what the watch cache of this kind has seen, which is what its bookmarks carry.
   */
  get latestRv(): number {
    return this.last;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestResumable(): number {
    return this.floor;
  }

  /** Forgets the whole history, so that any resourceVersion older than now gets 410 Gone. */
  compact(): void {
    this.history.length = 0;
    this.historyStart = 0;
    this.floor = this.versions.latest;
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private record(change: Change): void {
    this.last = change.rv;
    this.history.push(change);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.floor = this.history[this.historyStart]!.rv;
      this.history[this.historyStart] = undefined as unknown as Change;
      this.historyStart += 1;
      // Drop the dead prefix in one go now and then rather than shifting the array on every change.
      if (this.historyStart > this.historyLimit) {
        this.history.splice(0, this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const listener of this.listeners) listener(change);
  }
}
