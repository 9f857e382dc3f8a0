import { PassThrough, Writable } from 'node:stream';
import { setImmediate as realSetImmediate } from 'node:timers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { runTui as RunTui } from '../../src/ui/run-tui.js';
import { FakeSource, fixturePods } from '../ui/fake-source.js';

// The Ink the user runs is the bundle's (scripts/bundle.js patches it): these drive dist/lib/run-tui.js.

const { runTui } = (await import(new URL('../../dist/lib/run-tui.js', import.meta.url).href)) as {
  runTui: typeof RunTui;
};

const flush = () => new Promise((resolve) => realSetImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe("the bundle's Ink", () => {
  it("draws a key's frame at once: the key's first commit, which changes nothing, holds nothing back", async () => {
    // Timers never fire here unless advanced: Ink's throttle (33 ms) would hold a frame until then.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let written = '';
    const stdout = Object.assign(
      new Writable({
        write(chunk, _encoding, done) {
          written += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 120, rows: 30 },
    ) as unknown as NodeJS.WriteStream;
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: () => stdin,
      ref: () => {},
      unref: () => {},
    });
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ascii: false, color: false, demo: false, multiContext: false, stdout, stdin: stdin as never },
      { patchConsole: false, handleProcessEvents: false },
    );
    for (let i = 0; i < 20 && !written.includes('NEXT RESTART'); i++) await flush();
    expect(written).toContain('NEXT RESTART');
    // Quiet: whatever the first frames left pending is drawn, then the throttle's window ends.
    await vi.advanceTimersByTimeAsync(100);
    await flush();
    const before = written.length;
    stdin.write('j');
    for (let i = 0; i < 10 && written.length === before; i++) await flush();
    // The selection marker moved: drawn without any timer firing.
    expect(written.slice(before)).toContain('›');
    stdin.write('q');
    await flush();
    await vi.advanceTimersByTimeAsync(100);
    expect(await exit).toBe(0);
  });
});
