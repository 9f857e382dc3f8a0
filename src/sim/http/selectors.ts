import {
  MATCH_ALL,
  type Matcher,
  matches,
  labelMatcher as parseLabels,
  type Requirement,
  SelectorError,
  splitTopLevel,
} from '../../model/selector.js';
import { HttpError } from './status.js';

// Label and field selectors of list and watch requests: the label grammar is the model's (model/selector.ts);
// a selector that does not parse is the apiserver's 400.

export type { Matcher } from '../../model/selector.js';

export function labelMatcher(selector: string | null): Matcher {
  try {
    return parseLabels(selector);
  } catch (error) {
    if (error instanceof SelectorError) throw new HttpError(400, error.message);
    throw error;
  }
}

/** Field selectors allow only `=`, `==` and `!=` on the fields the resource supports. */
export function fieldMatcher(selector: string | null, supported: readonly string[]): Matcher {
  if (!selector) return MATCH_ALL;
  const requirements = splitTopLevel(selector).map((text) => {
    const req = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
    if (!req) throw new HttpError(400, `invalid selector: '${selector}'; can't understand '${text}'`);
    const key = req[1]!;
    if (!supported.includes(key)) throw new HttpError(400, `field label not supported: ${key}`);
    return { key, op: req[2] === '!=' ? 'ne' : 'eq', value: req[3]!.trim() } as Requirement;
  });
  return (fields) => requirements.every((r) => matches(r, fields));
}
