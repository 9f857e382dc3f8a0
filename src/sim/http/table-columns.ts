import { humanAge } from '../../model/duration.js';

// The pieces of a server-side printer (pkg/printers/internalversion/printers.go): column definitions and the
// cell formats several printers share.

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export const column = (name: string, description: string, priority = 0, format = ''): Column => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

export interface Printer {
  columns: Column[];
  // biome-ignore lint/suspicious/noExplicitAny: each printer reads its own resource's JSON shape.
  cells(object: any, now: number): unknown[];
}

export const NAME = column('Name', 'Name must be unique within a namespace.', 0, 'name');
export const AGE = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);

export function since(timestamp: string | undefined, now: number): string {
  const at = Date.parse(timestamp ?? '');
  return Number.isNaN(at) ? '<unknown>' : humanAge(now - at);
}
