import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodRef } from '../kube/source.js';
import type { LogEntry } from './log-buffer.js';
import { entryText } from './log-rows.js';

// Ctrl-S in the log view: the buffer as a file, with the kubelet's timestamps (a saved log is read later,
// beside other logs). Logs may hold secrets the app printed: the file is the user's alone (0600), and it is
// created new (`wx`), never written through a link someone else left in the temporary directory.

/** `shop_api-7d9f8-abc12_app_20261125-140000.log`: names are DNS labels; anything else becomes `_`. */
export function logFileName(ref: PodRef, container: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.-]/g, '_');
  return `${safe(ref.namespace)}_${safe(ref.name)}_${safe(container)}_${stamp}.log`;
}

export async function saveLog(
  entries: readonly LogEntry[],
  file: { ref: PodRef; container: string; containerPrefix: boolean },
  options: { dir?: string; now?: Date } = {},
): Promise<string> {
  const path = join(
    options.dir ?? tmpdir(),
    logFileName(file.ref, file.container, options.now ?? new Date()),
  );
  const text = entries
    .map((entry) => `${entryText(entry, { timestamps: true, containerPrefix: file.containerPrefix })}\n`)
    .join('');
  await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  return path;
}
