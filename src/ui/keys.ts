// Every key of the live view, in one table: the help overlay (`?`) is drawn from it and the README
// mirrors it, so what the screen says and what the keys do cannot drift apart.

export interface KeyHelp {
  keys: string;
  action: string;
}

export const KEY_HELP: readonly { section: string; keys: readonly KeyHelp[] }[] = [
  {
    section: 'Move',
    keys: [
      { keys: '↑ ↓  j k', action: 'select the previous / next row (scroll in full-screen views)' },
      { keys: 'PgUp PgDn', action: 'one page up / down' },
      { keys: 'g G', action: 'first / last row' },
    ],
  },
  {
    section: 'Look',
    keys: [
      { keys: 'Enter', action: 'detail of the pod (or expand / collapse an owner group)' },
      { keys: 'l', action: 'logs of the current container, following' },
      { keys: 'p', action: 'logs of the previous (crashed) container' },
      { keys: 'd', action: 'describe the pod, with its events' },
      { keys: '/', action: 'filter rows (in logs: search; n N next / previous match)' },
      { keys: 'n', action: 'pick a namespace' },
      { keys: 'a', action: 'all pods / only unhealthy pods' },
      { keys: 'o', action: 'group by owner (Deployment, StatefulSet, DaemonSet, Job)' },
      { keys: 'S', action: 'sort: soonest restart / restarts / name' },
      { keys: 'b', action: 'bell: ring and mark a row when a pod newly enters a crash loop' },
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
    section: 'Leave',
    keys: [
      { keys: 'Esc', action: 'dismiss a kept message; close the overlay or view' },
      { keys: '?', action: 'this help' },
      { keys: 'q  Ctrl-C', action: 'quit' },
    ],
  },
];
