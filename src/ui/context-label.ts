import { columns } from '../model/columns.js';
import { visibleName } from '../model/kubectl.js';
import { truncateMiddle } from './fit.js';
import { sanitizeLine } from './sanitize.js';

// With several contexts, a view's title names the cluster it shows: two clusters can have pods of the same name
// in the same namespace. Context names can be long (EKS's `arn:aws:eks:eu-west-1:123456789012:cluster/prod`):
// cut in the middle, so both the provider's prefix and the cluster's own name (at the end) stay, and never to
// more than a quarter of the screen, so the pod's name keeps its room.

const MIN_CONTEXT = 12;

/**
 * The in-cluster context on screen. client-node names it `inClusterContext`, which no kubectl knows, and the
 * commands there name no context (kubectl in the pod finds the service account by itself): the header and the
 * questions say where they act as the commands reach it.
 */
export const IN_CLUSTER_CONTEXT = 'in-cluster (service account)';

/**
 * A context's name as the screen shows it outside commands: ANSI-C quoted as the commands quote it when it holds
 * a control or format character (`$'prod\x1b[31m'`), so that two contexts never look alike by a character
 * dropped; the in-cluster one as IN_CLUSTER_CONTEXT.
 */
export function contextName(context: string, inCluster = false): string {
  return inCluster ? IN_CLUSTER_CONTEXT : sanitizeLine(visibleName(context));
}

/** `context` as contextName shows it, cut to fit a title on a `width`-column screen. */
export function contextLabel(context: string, width: number, ellipsis = '…'): string {
  return truncateMiddle(contextName(context), Math.max(MIN_CONTEXT, Math.floor(width / 4)), ellipsis);
}

const SEPARATOR = /[-_:/.@]/;

/**
 * The CONTEXT column's text for each of `contexts` in `width` columns, told apart: `prod-eu-west-1` and
 * `prod-us-east-1` cut to 7 columns in the middle both read `pro…t-1`. Where the names do not fit whole, the
 * parts all of them share (up to a separator: `prod-`, `-1`, EKS's `arn:aws:eks:`) are left out, marked by an
 * ellipsis where there is room for it (`…eu-west…`), and what is left is cut in the middle. The header names
 * the contexts in full.
 */
export function contextCells(
  contexts: readonly string[],
  width: number,
  ellipsis = '…',
): ReadonlyMap<string, string> {
  const { clean, prefix, suffix } = contextParts(contexts);
  if (clean.length < 2 || clean.every((c) => columns(c) <= width))
    return new Map(contexts.map((c, i) => [c, clean[i]!]));
  return new Map(
    contexts.map((context, i) => {
      const name = clean[i]!;
      const middle = name.slice(prefix, name.length - suffix);
      if (middle === '') return [context, truncateMiddle(name, width, ellipsis)];
      const marked = `${prefix > 0 ? ellipsis : ''}${middle}${suffix > 0 ? ellipsis : ''}`;
      return [context, truncateMiddle(columns(marked) <= width ? marked : middle, width, ellipsis)];
    }),
  );
}

/**
 * The narrowest width in which contextCells cuts nothing of what tells `contexts` apart: their names whole, or
 * what is left of them without the parts they all share (`eu-west` and `us-east` for `prod-eu-west-1` and
 * `prod-us-east-1`).
 */
export function contextCellsWidth(contexts: readonly string[]): number {
  const { clean, prefix, suffix } = contextParts(contexts);
  const whole = Math.max(0, ...clean.map((c) => columns(c)));
  const middles = clean.map((name) => name.slice(prefix, name.length - suffix));
  if (clean.length < 2 || middles.includes('')) return whole;
  return Math.min(whole, Math.max(...middles.map((m) => columns(m))));
}

/** The names as shown, and how long a start (`prod-`) and an end (`-1`) all of them share. */
function contextParts(contexts: readonly string[]): { clean: string[]; prefix: number; suffix: number } {
  const clean = contexts.map((c) => contextName(c));
  return {
    clean,
    prefix: sharedEnd(clean, (s) => s),
    suffix: sharedEnd(clean, (s) => [...s].reverse().join('')),
  };
}

/** Length of the start all of `names` share (read through `turn`), ending just after a separator. */
function sharedEnd(names: readonly string[], turn: (s: string) => string): number {
  const turned = names.map(turn);
  const first = turned[0] ?? '';
  let shared = 0;
  while (shared < first.length && turned.every((t) => t[shared] === first[shared])) shared++;
  while (shared > 0 && !SEPARATOR.test(first[shared - 1]!)) shared--;
  return shared;
}
