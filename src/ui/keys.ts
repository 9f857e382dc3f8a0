// Every key of the live view, in one table: the help overlay (`?`) is drawn from it and the README
// mirrors it, so what the screen says and what the keys do cannot drift apart.

import { type ColumnId, columnById } from '../model/rows.js';

/**
 * Shift+letter sorts by a column, as in k9s (internal/view/pod.go, table.go): N name, P namespace, R ready,
 * T restarts, A age. k9s's Shift-S (status) is crashtop's named-sort key, so STATUS is U; the columns k9s does
 * not have take a letter of their own (conteXt, Back-off for NEXT RESTART, Cause). The same key again reverses.
 */
export const SORT_COLUMN_KEYS: readonly (readonly [key: string, column: ColumnId])[] = [
  ['N', 'name'],
  ['P', 'namespace'],
  ['X', 'context'],
  ['R', 'ready'],
  ['U', 'status'],
  ['T', 'restarts'],
  ['B', 'next'],
  ['C', 'cause'],
  ['A', 'age'],
];

/** Three columns a line in the help, so it stays readable at 80 columns. */
function sortKeyHelp(): KeyHelp[] {
  const lines: KeyHelp[] = [];
  for (let i = 0; i < SORT_COLUMN_KEYS.length; i += 3) {
    const chunk = SORT_COLUMN_KEYS.slice(i, i + 3);
    lines.push({
      keys: chunk.map(([key]) => key).join(' '),
      action: `sort by ${chunk.map(([, column]) => columnById(column).title).join(' / ')}`,
    });
  }
  return lines;
}

export interface KeyHelp {
  keys: string;
  action: string;
}

export const KEY_HELP: readonly { section: string; keys: readonly KeyHelp[] }[] = [
  {
    section: 'Move',
    keys: [
      { keys: '↑ ↓  j k', action: 'select the previous / next row (scroll in full-screen views)' },
      { keys: 'PgUp PgDn', action: 'one page up / down (Space too, in full-screen views)' },
      { keys: 'g G', action: 'first row (it stays on top as rows re-sort) / last row' },
    ],
  },
  {
    section: 'Look',
    keys: [
      { keys: 'Enter', action: 'detail of the pod' },
      { keys: 'l', action: 'logs of the failing container, followed across its restarts' },
      { keys: 'p', action: 'logs of its previous (crashed) run' },
      {
        keys: 'd',
        action: 'describe the pod, with its events (as kubectl describe pod prints it; long lines wrap)',
      },
      {
        keys: 'e',
        action:
          "recent warnings of the pod's namespace and of its pods' nodes (pressure, evictions, reboots), newest first (a: every type)",
      },
      {
        keys: '/',
        action:
          'filter rows by text, or by labels: /-l app=web,tier!=db (an invalid selector says why); Enter keeps it, Esc cancels (the selection and scroll as before /)',
      },
      { keys: 'n', action: 'pick a namespace' },
      { keys: ':', action: 'command: :ns NAME, :ctx NAME[,NAME…] (watch other contexts), :q; Tab completes' },
      { keys: 'a', action: 'all pods / only unhealthy pods' },
      {
        keys: 'o',
        action:
          'group by owner: a line per Deployment, StatefulSet, DaemonSet or Job (and context, with several), its pods under it',
      },
      { keys: 'b', action: 'bell: ring and mark a row when a pod newly enters a crash loop' },
    ],
  },
  {
    section: 'Sort (unhealthy pods stay on top; the same key again reverses)',
    keys: [
      { keys: 'S', action: 'the named sorts in turn: soonest restart / most restarts / name' },
      ...sortKeyHelp(),
    ],
  },
  {
    section: 'Act',
    keys: [
      { keys: 's', action: 'shell in the container (kubectl exec)' },
      { keys: 'x', action: 'debug copy of the pod (kubectl debug --copy-to; asks first: creates a pod)' },
      { keys: 'y', action: "send the fix command to the terminal's clipboard (OSC 52) and show it in full" },
    ],
  },
  {
    section: 'In the log view',
    keys: [
      { keys: 'p', action: 'previous run / current run (the current one is followed across restarts)' },
      { keys: 'c', action: 'pick a container (init containers included) or all, each line prefixed' },
      { keys: 'w', action: 'wrap long lines on / off' },
      { keys: 't', action: "the kubelet's timestamps on / off" },
      { keys: '← →', action: 'scroll sideways (when not wrapping)' },
      { keys: 'G', action: 'follow again (scrolling up pauses following)' },
      { keys: '/ n N', action: 'search; next / previous match, wrapping around (i/N shown)' },
      { keys: 'Ctrl-S', action: 'save the lines kept to a file (its path is shown until the next key)' },
    ],
  },
  {
    section: 'In a prompt (/ filter, : command, log search)',
    keys: [
      { keys: 'Ctrl-U', action: 'clear what was typed' },
      { keys: 'Ctrl-W', action: 'delete the last word typed' },
    ],
  },
  {
    section: 'Leave',
    keys: [
      {
        keys: 'Esc',
        action:
          'dismiss a kept message; else back one level (on the table: clear the filter, then the namespace)',
      },
      { keys: '?', action: 'open / close this help' },
      { keys: 'q', action: 'back one level; quit from the table' },
      { keys: 'Ctrl-Z', action: 'suspend (the shell gets the terminal; fg comes back)' },
      { keys: 'Ctrl-C', action: 'quit' },
    ],
  },
];
