// Label selectors as the apiserver parses them (k8s.io/apimachinery pkg/labels): a comma-separated list of
// requirements that must all hold. The simulator serves `labelSelector` with it, and the live view's `/-l`
// filter matches rows with it.

/** A selector that does not parse; the message is the apiserver's, `why` says what is wrong with it. */
export class SelectorError extends Error {
  constructor(
    message: string,
    readonly why: string,
  ) {
    super(message);
  }
}

export type Matcher = (values: Readonly<Record<string, string>>) => boolean;

export const MATCH_ALL: Matcher = () => true;

export type Requirement =
  | { key: string; op: 'eq' | 'ne'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

/** Splits on commas that are not inside `( … )`, so `env in (a,b),tier=web` has two requirements. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseRequirement(text: string, selector: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (set) {
    const values = set[3]!.split(',').map((v) => v.trim());
    return { key: set[1]!, op: set[2] as 'in' | 'notin', values };
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (eq) return { key: eq[1]!, op: eq[2] === '!=' ? 'ne' : 'eq', value: eq[3]! };
  const exists = /^(!?)([^!=\s()]+)$/.exec(text);
  if (exists) return { key: exists[2]!, op: exists[1] ? 'notexists' : 'exists' };
  throw new SelectorError(`unable to parse requirement: invalid selector: '${selector}'`, whyNot(text));
}

/** Why a requirement does not parse, in the words of kubectl's syntax. */
function whyNot(text: string): string {
  const open = text.split('(').length - 1;
  const close = text.split(')').length - 1;
  if (open > close) return `'${text}' has no closing ')'`;
  if (close > open) return `'${text}' has a ')' with no '('`;
  if (/^\S+\s+(in|notin)\b/.test(text)) return `'${text}': the values of in and notin go in parentheses`;
  return `'${text}' is not key=value, key!=value, key in (a,b), key notin (a,b), key or !key`;
}

export function matches(req: Requirement, values: Readonly<Record<string, string>>): boolean {
  const value = values[req.key];
  switch (req.op) {
    case 'eq':
      return value === req.value;
    case 'ne':
      return value !== req.value;
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
  }
}

export function labelMatcher(selector: string | null): Matcher {
  if (!selector) return MATCH_ALL;
  const requirements = splitTopLevel(selector).map((r) => parseRequirement(r, selector));
  return (labels) => requirements.every((r) => matches(r, labels));
}
