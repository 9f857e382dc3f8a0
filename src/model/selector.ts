import { labelKeyErrors, labelValueErrors } from './label-validation.js';

// Label selectors as the apiserver parses them (k8s.io/apimachinery pkg/labels): a comma-separated list of
// requirements that must all hold. The simulator serves `labelSelector` with it, and the live view's `/-l`
// filter matches rows with it.

/** A selector that does not parse; the message is the apiserver's, `why` says what is wrong with it for a person. */
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
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'gt' | 'lt'; value: string };

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

type Token =
  | 'end'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'greaterThan'
  | 'identifier'
  | 'in'
  | 'lessThan'
  | 'notEquals'
  | 'notIn'
  | 'openPar'
  | 'error';

const SYMBOLS: Readonly<Record<string, Token>> = {
  ')': 'closePar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'greaterThan',
  '<': 'lessThan',
  '!=': 'notEquals',
  '(': 'openPar',
};
const SPECIAL = /[=!(),<>]/;
const WHITESPACE = /[ \t\r\n]/;

/** The apiserver's lexer: the longest symbol, or a run of anything else as an identifier (`in`, `notin` keywords). */
function lex(selector: string): { token: Token; text: string }[] {
  const tokens: { token: Token; text: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < selector.length && WHITESPACE.test(selector[i]!)) i++;
    if (i >= selector.length) {
      tokens.push({ token: 'end', text: '' });
      return tokens;
    }
    const start = i;
    if (SPECIAL.test(selector[i]!)) {
      let last: { token: Token; text: string } | undefined;
      while (i < selector.length && SPECIAL.test(selector[i]!)) {
        const text = selector.slice(start, i + 1);
        const token = SYMBOLS[text];
        if (token) last = { token, text };
        else if (last) break;
        i++;
      }
      if (!last) {
        tokens.push({ token: 'error', text: `error expected: keyword found '${selector.slice(start, i)}'` });
        tokens.push({ token: 'end', text: '' });
        return tokens;
      }
      i = start + last.text.length;
      tokens.push(last);
    } else {
      while (i < selector.length && !SPECIAL.test(selector[i]!) && !WHITESPACE.test(selector[i]!)) i++;
      const text = selector.slice(start, i);
      tokens.push({ token: text === 'in' ? 'in' : text === 'notin' ? 'notIn' : 'identifier', text });
    }
  }
}

const OPERATORS: Partial<Record<Token, 'in' | 'notin' | 'eq' | 'ne' | 'gt' | 'lt'>> = {
  in: 'in',
  notIn: 'notin',
  equals: 'eq',
  doubleEquals: 'eq',
  notEquals: 'ne',
  greaterThan: 'gt',
  lessThan: 'lt',
};

/** `field.Invalid(path, value, detail)` as the apiserver words it. */
const invalid = (path: string, value: string, detail: string) =>
  `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;

/**
 * k8s.io/apimachinery labels.Parse: its grammar and its error messages, so that the simulator answers a
 * selector the apiserver refuses with the same 400. Throws a plain Error with the apiserver's message.
 */
function parseSelector(selector: string): Requirement[] {
  const tokens = lex(selector);
  let position = 0;
  // Where values are read, `in` and `notin` are identifiers like any other word.
  const look = (values: boolean) => {
    const item = tokens[Math.min(position, tokens.length - 1)]!;
    return values && (item.token === 'in' || item.token === 'notIn')
      ? { ...item, token: 'identifier' as Token }
      : item;
  };
  const take = (values: boolean) => {
    const item = look(values);
    position++;
    return item;
  };

  const values = (): string[] => {
    const open = take(true);
    if (open.token !== 'openPar') throw new Error(`found '${open.text}' expected: '('`);
    const next = look(true);
    if (next.token === 'closePar') {
      take(true);
      return [''];
    }
    if (next.token !== 'identifier' && next.token !== 'comma')
      throw new Error(`found '${next.text}', expected: ',', ')' or identifier`);
    const list = new Set<string>();
    for (;;) {
      const item = take(true);
      if (item.token === 'identifier') {
        list.add(item.text);
        const after = look(true);
        if (after.token === 'comma') continue;
        if (after.token === 'closePar') break;
        throw new Error(`found '${after.text}', expected: ',' or ')'`);
      }
      if (item.token !== 'comma') throw new Error(`found '${item.text}', expected: ',' or ')'`);
      if (list.size === 0) list.add('');
      const after = look(true);
      if (after.token === 'closePar') {
        list.add('');
        break;
      }
      if (after.token === 'comma') {
        take(true);
        list.add('');
      }
    }
    const close = take(true);
    if (close.token !== 'closePar') throw new Error(`found '${next.text}', expected: ')'`);
    // A set, listed in order as the apiserver's: its messages number the values in that order.
    return [...list].sort();
  };

  const exactValue = (): string[] => {
    const next = look(true);
    if (next.token === 'end' || next.token === 'comma') return [''];
    const item = take(true);
    if (item.token === 'identifier') return [item.text];
    throw new Error(`found '${item.text}', expected: identifier`);
  };

  const requirement = (): Requirement => {
    let item = take(true);
    const negated = item.token === 'doesNotExist';
    if (negated) item = take(true);
    if (item.token !== 'identifier') throw new Error(`found '${item.text}', expected: identifier`);
    const key = item.text;
    const keyErrors = labelKeyErrors(key);
    if (keyErrors.length > 0) throw new Error(invalid('<nil>', key, keyErrors.join('; ')));
    const after = look(true).token;
    if (negated) return { key, op: 'notexists' };
    if (after === 'end' || after === 'comma') return { key, op: 'exists' };
    const operator = take(false);
    const op = OPERATORS[operator.token];
    if (!op) throw new Error(`found '${operator.text}', expected: in, notin, =, ==, !=, gt, lt`);
    const list = op === 'in' || op === 'notin' ? values() : exactValue();
    const errors: string[] = [];
    if ((op === 'gt' || op === 'lt') && !/^[+-]?\d+$/.test(list[0]!))
      errors.push(invalid('values[0]', list[0]!, "for 'Gt', 'Lt' operators, the value must be an integer"));
    list.forEach((value, i) => {
      const valueErrors = labelValueErrors(value);
      if (valueErrors.length > 0) errors.push(invalid(`values[${i}][${key}]`, value, valueErrors.join('; ')));
    });
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return op === 'in' || op === 'notin' ? { key, op, values: list } : { key, op, value: list[0]! };
  };

  const requirements: Requirement[] = [];
  for (;;) {
    const next = look(true);
    if (next.token === 'end') return requirements;
    if (next.token !== 'identifier' && next.token !== 'doesNotExist')
      throw new Error(`found '${next.text}', expected: !, identifier, or 'end of string'`);
    try {
      requirements.push(requirement());
    } catch (error) {
      throw new Error(`unable to parse requirement: ${(error as Error).message}`);
    }
    const after = take(true);
    if (after.token === 'end') return requirements;
    if (after.token !== 'comma') throw new Error(`found '${after.text}', expected: ',' or 'end of string'`);
    const following = look(true);
    if (following.token !== 'identifier' && following.token !== 'doesNotExist')
      throw new Error(`found '${following.text}', expected: identifier after ','`);
  }
}

/** Why the selector does not parse, for a person: the first of its requirements that does not parse alone. */
function whyFor(selector: string, message: string): string {
  for (const part of splitTopLevel(selector)) {
    try {
      parseSelector(part);
    } catch (error) {
      // A key or value the apiserver's validation refuses parsed fine: its own words say what is wrong.
      const invalid = /Invalid value: .*/.exec((error as Error).message);
      return invalid ? `'${part}': ${invalid[0]}` : whyNot(part);
    }
  }
  return message;
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
    case 'gt':
    case 'lt': {
      // Both sides as integers; a label that is not one matches neither.
      if (value === undefined || !/^[+-]?\d+$/.test(value)) return false;
      return req.op === 'gt' ? Number(value) > Number(req.value) : Number(value) < Number(req.value);
    }
  }
}

export function labelMatcher(selector: string | null): Matcher {
  if (!selector) return MATCH_ALL;
  let requirements: Requirement[];
  try {
    requirements = parseSelector(selector);
  } catch (error) {
    const message = (error as Error).message;
    throw new SelectorError(message, whyFor(selector, message));
  }
  return (labels) => requirements.every((r) => matches(r, labels));
}
