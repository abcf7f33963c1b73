// Runs the leaf packages' vitest unit tests under Deno. Deno cannot load vitest itself,
// so this maps the small, documented subset of the vitest API those tests are allowed to
// use (see CONTRIBUTING.md) onto Deno.test. Anything outside the subset throws loudly
// instead of passing silently.
import { inspect, isDeepStrictEqual } from 'node:util';

type Fn = () => unknown | Promise<unknown>;
type Hook = { fn: Fn };
interface Suite {
  name: string;
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  parent?: Suite;
}

declare const Deno: {
  test(def: {
    name: string;
    fn: () => Promise<void>;
    sanitizeOps: boolean;
    sanitizeResources: boolean;
  }): void;
};

const root: Suite = { name: '', beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
let current: Suite = root;
const ranBeforeAll = new WeakSet<Suite>();

function chain(s: Suite): Suite[] {
  const out: Suite[] = [];
  for (let x: Suite | undefined = s; x; x = x.parent) out.unshift(x);
  return out;
}

export function describe(name: string, fn: () => void): void {
  const suite: Suite = {
    name,
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
    parent: current,
  };
  const prev = current;
  current = suite;
  try {
    fn();
  } finally {
    current = prev;
  }
  // Deno.test cases run in registration order, so a case registered after the suite's own
  // cases is where its afterAll hooks belong.
  if (suite.afterAll.length > 0) {
    Deno.test({
      name: `${chain(suite)
        .map((s) => s.name)
        .filter(Boolean)
        .join(' > ')} > (afterAll)`,
      sanitizeOps: false,
      sanitizeResources: false,
      async fn() {
        if (!ranBeforeAll.has(suite)) return;
        for (const h of suite.afterAll) await h.fn();
      },
    });
  }
}
describe.skip = (_name: string, _fn: () => void): void => {
  throw new Error('describe.skip is not allowed in ossup tests');
};

export function it(name: string, fn: Fn, _timeout?: number | object): void {
  const suite = current;
  const fullName = [
    ...chain(suite)
      .map((s) => s.name)
      .filter(Boolean),
    name,
  ].join(' > ');
  Deno.test({
    name: fullName,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const suites = chain(suite);
      for (const s of suites) {
        if (!ranBeforeAll.has(s)) {
          ranBeforeAll.add(s);
          for (const h of s.beforeAll) await h.fn();
        }
      }
      for (const s of suites) for (const h of s.beforeEach) await h.fn();
      try {
        await fn();
      } finally {
        for (const s of [...suites].reverse()) for (const h of s.afterEach) await h.fn();
      }
    },
  });
}
it.skip = (_name: string, _fn: Fn): void => {
  throw new Error('it.skip is not allowed in ossup tests');
};
it.each =
  <T>(cases: readonly T[]) =>
  (name: string, fn: (c: T) => unknown) => {
    cases.forEach((c, i) => {
      it(`${name} [${i}]`, () => fn(c));
    });
  };
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push({ fn });
}
export function afterAll(fn: Fn): void {
  if (current === root)
    throw new Error('vitest shim: top-level afterAll is not supported; put it in a describe');
  current.afterAll.push({ fn });
}
export function beforeEach(fn: Fn): void {
  current.beforeEach.push({ fn });
}
export function afterEach(fn: Fn): void {
  current.afterEach.push({ fn });
}

// vitest's toEqual compares structure, not prototypes, and treats a property holding
// undefined like a missing one; toStrictEqual is the strict form.
function looseEqual(a: unknown, b: unknown, seen = new Map<unknown, unknown>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (seen.get(a) === b) return true;
  seen.set(a, b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return isDeepStrictEqual(a, b);
  if (a instanceof Map || b instanceof Map || a instanceof Set || b instanceof Set)
    return isDeepStrictEqual(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Error && b instanceof Error && a.message !== b.message) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const av = (a as Record<string, unknown>)[k];
    const bv = (b as Record<string, unknown>)[k];
    if (av === undefined && bv === undefined) continue;
    if (!looseEqual(av, bv, seen)) return false;
  }
  return true;
}

function fmt(v: unknown): string {
  return inspect(v, { depth: 4, breakLength: 120 });
}

function matchesError(err: unknown, expected: unknown): boolean {
  if (expected === undefined) return true;
  if (typeof expected === 'function') return err instanceof (expected as new () => unknown);
  const message = err instanceof Error ? err.message : String(err);
  if (typeof expected === 'string') return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (expected instanceof Error) return message === expected.message;
  throw new Error(`vitest shim: unsupported toThrow argument ${fmt(expected)}`);
}

function hasPath(obj: unknown, path: string | string[]): { found: boolean; value: unknown } {
  const parts = Array.isArray(path) ? path : path.split('.');
  let cur: unknown = obj;
  for (const p of parts) {
    if (cur === null || cur === undefined || !(p in Object(cur)))
      return { found: false, value: undefined };
    cur = (cur as Record<string, unknown>)[p];
  }
  return { found: true, value: cur };
}

type Check = (actual: unknown, ...args: unknown[]) => [boolean, string];

const checks: Record<string, Check> = {
  toBe: (a, b) => [Object.is(a, b), `expected ${fmt(a)} to be ${fmt(b)}`],
  toEqual: (a, b) => [looseEqual(a, b), `expected ${fmt(a)} to equal ${fmt(b)}`],
  toStrictEqual: (a, b) => [
    isDeepStrictEqual(a, b),
    `expected ${fmt(a)} to strictly equal ${fmt(b)}`,
  ],
  toBeInstanceOf: (a, C) => [
    a instanceof (C as new () => unknown),
    `expected ${fmt(a)} to be an instance of ${(C as { name?: string }).name}`,
  ],
  toMatch: (a, re) => [
    typeof a === 'string' && (re instanceof RegExp ? re.test(a) : a.includes(String(re))),
    `expected ${fmt(a)} to match ${fmt(re)}`,
  ],
  toContain: (a, item) => [
    typeof a === 'string'
      ? a.includes(String(item))
      : Array.from(a as Iterable<unknown>).includes(item),
    `expected ${fmt(a)} to contain ${fmt(item)}`,
  ],
  toHaveLength: (a, n) => [
    (a as { length: number }).length === n,
    `expected length ${(a as { length?: number })?.length} to be ${n}`,
  ],
  toBeDefined: (a) => [a !== undefined, `expected value to be defined`],
  toBeUndefined: (a) => [a === undefined, `expected ${fmt(a)} to be undefined`],
  toBeNull: (a) => [a === null, `expected ${fmt(a)} to be null`],
  toBeTruthy: (a) => [Boolean(a), `expected ${fmt(a)} to be truthy`],
  toBeFalsy: (a) => [!a, `expected ${fmt(a)} to be falsy`],
  toBeGreaterThan: (a, b) => [(a as number) > (b as number), `expected ${fmt(a)} > ${fmt(b)}`],
  toBeGreaterThanOrEqual: (a, b) => [
    (a as number) >= (b as number),
    `expected ${fmt(a)} >= ${fmt(b)}`,
  ],
  toBeLessThan: (a, b) => [(a as number) < (b as number), `expected ${fmt(a)} < ${fmt(b)}`],
  toBeLessThanOrEqual: (a, b) => [
    (a as number) <= (b as number),
    `expected ${fmt(a)} <= ${fmt(b)}`,
  ],
  toHaveProperty: (a, path, ...rest) => {
    const { found, value } = hasPath(a, path as string);
    if (rest.length === 0) return [found, `expected ${fmt(a)} to have property ${fmt(path)}`];
    return [
      found && isDeepStrictEqual(value, rest[0]),
      `expected property ${fmt(path)} of ${fmt(a)} to equal ${fmt(rest[0])}`,
    ];
  },
};

type Matchers = Record<string, (...args: unknown[]) => void> & {
  not: Record<string, (...args: unknown[]) => void>;
};

function build(actual: unknown, negate: boolean): Record<string, (...args: unknown[]) => void> {
  const out: Record<string, (...args: unknown[]) => void> = {};
  for (const [name, check] of Object.entries(checks)) {
    out[name] = (...args) => {
      const [ok, msg] = check(actual, ...args);
      if (ok === negate) throw new Error(negate ? `not: ${msg}` : msg);
    };
  }
  out.toThrow = (expected?: unknown) => {
    if (typeof actual !== 'function') throw new Error('vitest shim: toThrow needs a function');
    let threw = false;
    let err: unknown;
    try {
      (actual as () => unknown)();
    } catch (e) {
      threw = true;
      err = e;
    }
    const ok = threw && matchesError(err, expected);
    if (ok === negate)
      throw new Error(
        `expected function ${negate ? 'not ' : ''}to throw ${fmt(expected)}, got ${threw ? fmt(err) : 'no error'}`,
      );
  };
  out.toThrowError = out.toThrow;
  return out;
}

export function expect(actual: unknown): Matchers {
  const m = build(actual, false) as Matchers;
  m.not = build(actual, true);
  const asyncBuild = (mode: 'rejects' | 'resolves') =>
    new Proxy(
      {},
      {
        get(_t, name: string) {
          return async (...args: unknown[]) => {
            let value: unknown;
            let rejected = false;
            try {
              value = await (actual as Promise<unknown>);
            } catch (e) {
              rejected = true;
              value = e;
            }
            if (mode === 'rejects') {
              if (!rejected)
                throw new Error(`expected promise to reject, it resolved with ${fmt(value)}`);
              if (name === 'toThrow' || name === 'toThrowError') {
                if (!matchesError(value, args[0]))
                  throw new Error(`rejection ${fmt(value)} does not match ${fmt(args[0])}`);
                return;
              }
            } else if (rejected) {
              throw new Error(`expected promise to resolve, it rejected with ${fmt(value)}`);
            }
            const target = build(value, false)[name];
            if (!target) throw new Error(`vitest shim: unsupported matcher ${mode}.${name}`);
            target(...args);
          };
        },
      },
    );
  Object.defineProperty(m, 'rejects', { get: () => asyncBuild('rejects') });
  Object.defineProperty(m, 'resolves', { get: () => asyncBuild('resolves') });
  return new Proxy(m, {
    get(t, name) {
      if (typeof name === 'string' && !(name in t))
        throw new Error(`vitest shim: unsupported matcher ${name}`);
      return Reflect.get(t, name);
    },
  });
}

export const vi = new Proxy(
  {},
  {
    get(_t, name) {
      throw new Error(
        `vitest shim: vi.${String(name)} is not available under Deno; keep leaf unit tests mock-free`,
      );
    },
  },
);
