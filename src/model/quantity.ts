// Kubernetes resource quantities (`512Mi`, `1G`, `268435456`, `1.5Gi`, `1e9`) for memory, in bytes.
// Grammar: k8s.io/apimachinery/pkg/api/resource/quantity.go.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/;

export function parseQuantity(text: string): number | undefined {
  // String(): a hand-written pod file read as YAML can hold `memory: 268435456` as a number.
  const match = String(text).trim().match(QUANTITY);
  if (!match) return undefined;
  const [, number, exponent, suffix = ''] = match;
  const value =
    Number(number) * (exponent ? 10 ** Number(exponent.slice(1)) : (BINARY[suffix] ?? DECIMAL[suffix]!));
  return Number.isFinite(value) ? value : undefined;
}

function largestExact(bytes: number, units: Record<string, number>): string | undefined {
  const fitting = Object.entries(units)
    .filter(([, size]) => size >= 1 && bytes % size === 0)
    .sort(([, a], [, b]) => b - a);
  const best = fitting[0];
  return best ? `${bytes / best[1]}${best[0]}` : undefined;
}

/** Bytes in the unit family the user wrote (`Mi` stays binary, `G` decimal), as short as it is exact. */
export function formatQuantity(bytes: number, like = 'Mi'): string {
  const whole = Math.round(bytes);
  const binaryFirst = /i$/.test(like) || /^\d+$/.test(like);
  const families = binaryFirst ? [BINARY, DECIMAL] : [DECIMAL, BINARY];
  for (const family of families) {
    const text = largestExact(whole, family);
    if (text && !/^\d+$/.test(text)) return text;
  }
  return String(whole);
}

/** Twice the quantity, in the same unit family; undefined when the text is not a quantity. */
export function doubleQuantity(text: string): string | undefined {
  const bytes = parseQuantity(text);
  return bytes === undefined || bytes <= 0 ? undefined : formatQuantity(bytes * 2, text);
}
