import type { WatchStatus } from '../kube/source.js';
import { formatCountdown } from '../model/duration.js';
import { contextName } from './context-label.js';
import { sanitizeLine } from './sanitize.js';

// The header's watch state. Pods and events are watched separately (per namespace, per context); the
// user needs one word when all is well, and to know which watch is behind when one is.

const SEVERITY: Readonly<Record<WatchStatus['state'], number>> = {
  live: 0,
  connecting: 1,
  reconnecting: 2,
  stale: 3,
  forbidden: 4,
};

/** `live`, `reconnecting 12s`, `stale 3m`, `never connected 1m10s` (failing without ever an answer). */
export function watchText(watch: WatchStatus, localNowMs: number): string {
  if (watch.state === 'live' || watch.state === 'connecting') return watch.state;
  const word = watch.neverConnected ? 'never connected' : watch.state;
  return `${word} ${formatCountdown(Math.max(0, localNowMs - watch.since))}`;
}

/**
 * Per server whose connecting watches all wait for it, how long it has sent none of them anything:
 * `waiting 12s for https://10.0.0.1:6443`. A server that accepted the connection and never answers is told from a
 * slow one only by this, until the request times out a minute later.
 */
export function waitingTexts(watches: readonly WatchStatus[], localNowMs: number): string[] {
  const connecting = new Map<string, WatchStatus[]>();
  for (const w of watches) {
    if (w.state === 'connecting') connecting.set(w.context, [...(connecting.get(w.context) ?? []), w]);
  }
  // A context is one server: its last sign of life to any of its watches is the server's.
  const since = new Map<string, number>();
  for (const own of connecting.values()) {
    const waits = own.flatMap((w) => (w.waiting === undefined ? [] : [w.waiting]));
    if (waits.length === 0 || waits.length < own.length) continue;
    const server = serverLabel(waits[0]!.server);
    since.set(server, Math.max(since.get(server) ?? 0, ...waits.map((wait) => wait.since)));
  }
  return [...since].map(
    ([server, from]) => `waiting ${formatCountdown(Math.max(0, localNowMs - from))} for ${server}`,
  );
}

/** A server's URL as the header says it: scheme, host and port; never its user info (a password), path or query. */
function serverLabel(server: string): string {
  const url = URL.canParse(server) ? new URL(server) : undefined;
  return url?.host ? sanitizeLine(`${url.protocol}//${url.host}`) : 'the server';
}

/** The watch in the worst state among `watches` (the first of them on a tie). */
export function worstWatch(watches: readonly WatchStatus[]): WatchStatus | undefined {
  let worst: WatchStatus | undefined;
  for (const w of watches) if (!worst || SEVERITY[w.state] > SEVERITY[worst.state]) worst = w;
  return worst;
}

/**
 * `live` when every watch is; else per context (named when there are several) either its one state or
 * each resource's: `pods live · events reconnecting 12s`.
 */
export function watchLine(watches: readonly WatchStatus[], localNowMs: number, separator: string): string {
  if (watches.length === 0) return 'connecting';
  if (watches.every((w) => w.state === 'live')) return 'live';
  const contexts = [...new Set(watches.map((w) => w.context))];
  return contexts
    .map((context) => {
      const own = watches.filter((w) => w.context === context);
      const byResource = (['pods', 'events'] as const).flatMap((resource) => {
        const worst = worstWatch(own.filter((w) => (w.resource ?? 'pods') === resource));
        return worst ? [{ resource, text: watchText(worst, localNowMs) }] : [];
      });
      const texts = new Set(byResource.map((r) => r.text));
      const state =
        texts.size === 1
          ? [...texts][0]!
          : byResource.map((r) => `${r.resource} ${r.text}`).join(` ${separator} `);
      return contexts.length > 1 ? `${contextName(context)}: ${state}` : state;
    })
    .join(', ');
}

/**
 * Whether a row of this context and namespace comes from a pods watch gone stale (or forbidden since: RBAC
 * revoked mid-run keeps the last pods), or undefined while none has. With several contexts on 80 columns the
 * CONTEXT column is gone: the header alone cannot say which rows are old.
 */
export function staleRows(
  watches: readonly WatchStatus[],
): ((context: string, namespace: string) => boolean) | undefined {
  const stale = podWatches(watches).filter((w) => w.state === 'stale' || w.state === 'forbidden');
  if (stale.length === 0) return undefined;
  return (context, namespace) => stale.some((w) => w.context === context && covers(w, namespace));
}

/** The pods watches (a status that names no resource is one). */
export function podWatches(watches: readonly WatchStatus[]): WatchStatus[] {
  return watches.filter((w) => (w.resource ?? 'pods') === 'pods');
}

/** Whether `watch` reads `namespace`: a watch of all namespaces reads every one. */
export function covers(watch: Pick<WatchStatus, 'namespaces'>, namespace: string): boolean {
  return watch.namespaces.length === 0 || watch.namespaces.includes(namespace);
}
