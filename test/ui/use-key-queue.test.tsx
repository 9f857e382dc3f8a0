import { setImmediate as realSetImmediate } from 'node:timers';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { Profiler, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { useKeyQueue } from '../../src/ui/hooks/use-key-queue.js';

// Each key must see the state the key before it left, however the keys arrive: one per read (a person, a slow
// key repeat), several in one read (a fast repeat, a paste), or more than React lets one chain of commits
// render. Counting with the state of the render (never a functional update) shows a key handled with a stale
// state as a lost count. Commits are counted with React's Profiler: each costs a render of the hook's owner.

const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/** What the last render had typed (the frame would wrap a long paste). */
let shown = '';

function Counter() {
  const [count, setCount] = useState(0);
  const [typed, setTyped] = useState('');
  useKeyQueue(
    (input) => {
      setCount(count + 1);
      setTyped(typed + input);
    },
    { isActive: true },
  );
  shown = `${count} ${typed}`;
  return <Text>{count}</Text>;
}

function renderCounter() {
  let commits = 0;
  const app = render(
    <Profiler id="counter" onRender={() => commits++}>
      <Counter />
    </Profiler>,
  );
  return { app, commits: () => commits };
}

/** What was typed once the count reached `count`, or what it was after waiting. */
async function settled(count: number): Promise<string> {
  for (let i = 0; i < 500 && !shown.startsWith(`${count} `); i++) await flush();
  return shown;
}

describe('useKeyQueue', () => {
  it('handles a key that arrives alone in one commit', async () => {
    const { app, commits } = renderCounter();
    await flush();
    const before = commits();
    app.stdin.write('j');
    expect(await settled(1)).toBe('1 j');
    expect(commits() - before).toBe(1);
  });

  it('handles each key of a slow key repeat (a render between keys) in one commit, none lost', async () => {
    const { app, commits } = renderCounter();
    await flush();
    const before = commits();
    const keys = 'jjjjjjjjjjkkkkkkkkkk';
    for (const key of keys) {
      app.stdin.write(key);
      await flush();
    }
    expect(await settled(keys.length)).toBe(`${keys.length} ${keys}`);
    expect(commits() - before).toBe(keys.length);
  });

  it('keeps every key of separate reads written back to back (a key repeat), in order', async () => {
    const { app } = renderCounter();
    await flush();
    const keys = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
    for (const key of keys) app.stdin.write(key);
    expect(await settled(keys.length)).toBe(`${keys.length} ${keys}`);
  });

  it('keeps every key of one read, one commit each, also past the chain React allows', async () => {
    const { app } = renderCounter();
    await flush();
    const paste = 'kubectl get pods -A --field-selector status.phase!=Running '.repeat(3);
    app.stdin.write(paste);
    expect(await settled(paste.length)).toBe(`${paste.length} ${paste}`);
  });

  it('keeps the order when a read arrives while the keys of a long one still wait', async () => {
    const { app } = renderCounter();
    await flush();
    const paste = 'x'.repeat(100);
    app.stdin.write(paste);
    app.stdin.write('y');
    app.stdin.write('z');
    expect(await settled(102)).toBe(`102 ${paste}yz`);
  });
});
