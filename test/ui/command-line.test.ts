import { describe, expect, it } from 'vitest';
import { candidates, complete, parseCommand } from '../../src/ui/command-line.js';

const known = { namespaces: ['payments', 'platform', 'shop'], contexts: ['kind-dev', 'prod-eu', 'prod-us'] };

describe(':command', () => {
  it.each([
    ['q', { kind: 'quit' }],
    ['quit', { kind: 'quit' }],
    ['ns shop', { kind: 'namespace', name: 'shop' }],
    ['namespace shop', { kind: 'namespace', name: 'shop' }],
    ['ns all', { kind: 'namespace' }],
    ['ns', { kind: 'namespace' }],
    ['ctx prod-eu', { kind: 'context', names: ['prod-eu'] }],
    ['ctx prod-eu,prod-us', { kind: 'context', names: ['prod-eu', 'prod-us'] }],
    ['ctx prod-eu,,prod-eu,', { kind: 'context', names: ['prod-eu'] }],
    ['ctx ,', { kind: 'error', message: ':ctx needs a context name' }],
    ['ctx', { kind: 'error', message: ':ctx needs a context name' }],
    ['ns a b', { kind: 'error', message: ':ns takes one name' }],
    ['pods', { kind: 'error', message: 'unknown command :pods (try :ns NAME, :ctx NAME, :q)' }],
  ])(':%s', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each([
    ['n', 'ns '],
    ['ns p', 'ns p'],
    ['ns pay', 'ns payments'],
    ['ns s', 'ns shop'],
    ['ctx prod', 'ctx prod-'],
    ['ctx prod-u', 'ctx prod-us'],
    ['ctx zz', 'ctx zz'],
    ['ctx prod-eu,prod-u', 'ctx prod-eu,prod-us'],
    ['ctx prod-eu,p', 'ctx prod-eu,prod-us'],
    ['ctx kind-dev,', 'ctx kind-dev,prod-'],
  ])('Tab completes %j to %j', (text, completed) => {
    expect(complete(text, known)).toBe(completed);
  });

  it('lists the candidates for the hint', () => {
    expect(candidates('ns p', known)).toEqual(['payments', 'platform']);
    expect(candidates('', known)).toEqual(['ns', 'ctx', 'q']);
    // A context already named is not offered again.
    expect(candidates('ctx prod-eu,', known)).toEqual(['prod-eu,kind-dev', 'prod-eu,prod-us']);
  });
});
