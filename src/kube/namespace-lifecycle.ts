import { visibleName } from '../model/kubectl.js';
import { KubeError } from './errors.js';
import { defaultRequestTimeoutMs, type KubeClient } from './http.js';

// A watched namespace deleted under the view. The pods watch alone never says so: the API server keeps a pods
// watch in a Terminating or deleted namespace open, sends each pod's deletion, and lists a namespace that no longer
// exists as an empty 200 (no 404), so the table would just empty out. When a pod of a named namespace is deleted
// (a namespace's deletion deletes them all), the namespace itself is read: Terminating is said and read again
// until it is gone, and gone is said too, with what to do. Each note is one line.

export type NamespacePhase = 'active' | 'terminating' | 'gone' | 'forbidden' | 'unknown';

/**
 * The namespace as the API server has it: `forbidden` when a 403 says it may not be read, `unknown` when it could
 * not be read otherwise (no answer, a server error): never taken for a missing permission.
 */
export async function namespacePhase(client: KubeClient, namespace: string): Promise<NamespacePhase> {
  try {
    const object = await client.getJson<{
      metadata?: { deletionTimestamp?: string };
      status?: { phase?: string };
    }>(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
      {},
      { verb: 'get', resource: 'namespaces' },
      { timeoutMs: defaultRequestTimeoutMs },
    );
    const terminating =
      object.status?.phase === 'Terminating' || object.metadata?.deletionTimestamp !== undefined;
    return terminating ? 'terminating' : 'active';
  } catch (error) {
    if (error instanceof KubeError && error.status === 404) return 'gone';
    return error instanceof KubeError && error.status === 403 ? 'forbidden' : 'unknown';
  }
}

const ELSEWHERE = 'to watch another, restart crashtop with -n NS or -A';

/** What the view says of a watched namespace in this phase, with `pods` of it left; undefined: nothing to say. */
export function namespaceNote(
  context: string,
  namespace: string,
  phase: NamespacePhase,
  pods: number,
): string | undefined {
  switch (phase) {
    case 'terminating':
      return `namespace "${namespace}" is being deleted (Terminating) in context ${visibleName(context)}: no pod can start there; ${ELSEWHERE}`;
    case 'gone':
      return `namespace "${namespace}" was deleted in context ${visibleName(context)} (still watched, in case it comes back); ${ELSEWHERE}`;
    case 'forbidden':
      return pods > 0
        ? undefined
        : `namespace "${namespace}" has no pods you may see any more, and whether it was deleted cannot be checked (no permission to get namespaces in context ${visibleName(context)})`;
    case 'unknown':
    case 'active':
      return undefined;
  }
}

export interface NamespaceLifecycleOptions {
  client: KubeClient;
  namespace: string;
  /** The pods of this namespace the view holds now. */
  podsLeft(): number;
  /** The note to show for this namespace, or undefined for none. */
  onNote(note: string | undefined): void;
  /** Wait after a deletion before reading the namespace: a namespace's pods are deleted together. */
  settleMs?: number;
  /** How often a Terminating namespace is read again, until it is gone or active again. */
  recheckMs?: number;
}

const SETTLE_MS = 500;
const RECHECK_MS = 5000;

/** Reads one watched namespace when `poke`d (a pod of it deleted) and says what became of it. */
export class NamespaceLifecycle {
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  /** A poke that came during a read: what it reports may have happened after the read's answer. */
  private pokedWhileReading = false;
  private stopped = false;
  private lastRead = Number.NEGATIVE_INFINITY;
  /** What is said now: a pod coming back while something is said reads the namespace again. */
  note: string | undefined;

  constructor(private readonly options: NamespaceLifecycleOptions) {}

  /**
   * A pod of the namespace was deleted, or came while a note stands: read the namespace soon, but not more often
   * than every `recheckMs` (a rollout deletes pods all along: one read per burst).
   */
  poke(): void {
    const settle = this.options.settleMs ?? SETTLE_MS;
    const again = this.lastRead + (this.options.recheckMs ?? RECHECK_MS) - Date.now();
    this.schedule(Math.max(settle, again));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.reading) this.pokedWhileReading = true;
    if (this.stopped || this.timer !== undefined || this.reading) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, ms);
    this.timer.unref?.();
  }

  private async read(): Promise<void> {
    const { client, namespace } = this.options;
    this.reading = true;
    this.lastRead = Date.now();
    const phase = await namespacePhase(client, namespace);
    this.reading = false;
    if (this.stopped) return;
    if (this.pokedWhileReading) {
      this.pokedWhileReading = false;
      this.poke();
    }
    // No answer says nothing of the namespace: what is said stands, and it is read again later.
    if (phase === 'unknown') {
      this.schedule(this.options.recheckMs ?? RECHECK_MS);
      return;
    }
    const note = namespaceNote(client.context.name, namespace, phase, this.options.podsLeft());
    if (note !== this.note) {
      this.note = note;
      this.options.onNote(note);
    }
    if (phase === 'terminating') this.schedule(this.options.recheckMs ?? RECHECK_MS);
  }
}
