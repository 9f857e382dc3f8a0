/** `noun` as a count of `n` reads it: `1 line`, `0 lines`, `2 lines` (nouns whose plural takes an s). */
export function plural(n: number, noun: string): string {
  return n === 1 ? noun : `${noun}s`;
}
