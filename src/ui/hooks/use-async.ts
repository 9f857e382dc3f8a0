import { useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { state: 'loading' }
  | { state: 'done'; value: T }
  | { state: 'failed'; error: string };

/**
 * The result of a one-shot request, made again when `key` changes (it names what `load` depends on);
 * a newer request or an unmount discards an older answer.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [result, setResult] = useState<AsyncState<T>>({ state: 'loading' });
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for what `load` reads.
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
    loadRef.current().then(
      (value) => current && setResult({ state: 'done', value }),
      (error: unknown) => current && setResult({ state: 'failed', error: firstLine(error) }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  return result;
}

export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
