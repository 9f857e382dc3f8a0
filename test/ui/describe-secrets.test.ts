import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { describeText } from '../../src/ui/describe-lines.js';

// `kubectl describe pod` prints a literal env value whatever its name, and a container's command and args as
// written; crashtop never shows a secret value. One rule decides for describe and for the fix commands
// (model/secret-like.ts).

const pod = parse(`
apiVersion: v1
kind: Pod
metadata: {name: api-7d9f8-x2k4q, namespace: shop, creationTimestamp: "2026-11-25T14:00:00Z"}
spec:
  containers:
  - name: app
    image: example/api:1
    command: [/app/api, --db-password=hunter2]
    args: [--token, tok-abc123, --dsn=postgres://app:pgpass99@db:5432/shop, --port=8080]
    env:
    - {name: DB_PASSWORD, value: supersecretpw123}
    - {name: JAVA_TOOL_OPTIONS, value: "-Xmx512m -Djavax.net.ssl.trustStorePassword=changeit"}
    - {name: API_TOKEN, value: "tok-9f8e7d"}
    - {name: LOG_LEVEL, value: debug}
    - {name: DATABASE_URL, value: "postgres://app:hunter2@db.shop:5432/prod"}
    - {name: CACHE_URL, value: "redis://:r3dispw@redis.shop:6379/0"}
    - {name: DB_USER, valueFrom: {secretKeyRef: {name: db, key: user}}}
status: {phase: Running}
`) as Pod;

describe('describe hides env values that look secret', () => {
  const text = describeText(pod, [], Date.parse('2026-11-25T15:00:00Z'));

  it.each([
    ['a name that looks secret', 'DB_PASSWORD', 'supersecretpw123'],
    ['a value that carries one', 'JAVA_TOOL_OPTIONS', 'changeit'],
    ['a token', 'API_TOKEN', 'tok-9f8e7d'],
  ])('%s: %s is named, its value is not', (_, name, value) => {
    expect(text).toMatch(new RegExp(`${name}:\\s+<hidden: looks like a secret>`));
    expect(text).not.toContain(value);
  });

  it.each([
    ['DATABASE_URL', 'postgres://app:<hidden>@db.shop:5432/prod', 'hunter2'],
    ['CACHE_URL', 'redis://:<hidden>@redis.shop:6379/0', 'r3dispw'],
  ])('%s: a URL keeps its user and host, not its password', (name, shown, password) => {
    expect(text).toContain(`${name}:`);
    expect(text).toContain(shown);
    expect(text).not.toContain(password);
  });

  it('shows the other values and references as kubectl does', () => {
    expect(text).toMatch(/LOG_LEVEL:\s+debug/);
    expect(text).toMatch(/DB_USER:\s+<set to the key 'user' in secret 'db'>/);
  });
});

describe('describe hides command and args values that look secret', () => {
  const text = describeText(pod, [], Date.parse('2026-11-25T15:00:00Z'));

  it.each(['hunter2', 'tok-abc123', 'pgpass99'])('%s is not shown', (value) => {
    expect(text).not.toContain(value);
  });

  it('shows how the container starts, the rest of its args as written', () => {
    expect(text).toMatch(/--db-password=<hidden>/);
    expect(text).toMatch(/--dsn=postgres:\/\/app:<hidden>@db:5432\/shop/);
    expect(text).toMatch(/--port=8080/);
  });
});

describe('describe hides a secret in an annotation too long for one line', () => {
  // An annotation longer than kubectl's 140 columns is cut; the password sits across the cut, so it must be
  // recognised before the cut (a URL's password is one only up to its `@`) or its first half would show.
  const password = 'pgpass99'.repeat(5);
  const padding = 'x'.repeat(90);
  const annotated = parse(`
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f8-x2k4q
  namespace: shop
  annotations:
    example.com/notes: "${padding} restore from postgres://app:${password}@db.shop:5432/prod"
spec: {containers: [{name: app, image: example/api:1}]}
status: {phase: Running}
`) as Pod;
  const text = describeText(annotated, [], Date.parse('2026-11-25T15:00:00Z'));

  it('shows neither the password nor a piece of it', () => {
    expect(text).toContain('postgres://app:<hidden>');
    expect(text).not.toContain('pgpass99');
  });
});
