/** What fills the body: the table (no view), or one of these over it; Esc goes back one. */
export type View =
  | { kind: 'detail'; key: string }
  | { kind: 'logs'; key: string; container: string; previous: boolean }
  | { kind: 'describe'; key: string }
  | { kind: 'events'; context: string; namespace: string }
  | { kind: 'help' }
  | { kind: 'namespace' };
