import type { FaultSpec } from '@ossup/dev-server';
import type { Page } from 'playwright';
import type { BrowserCommand } from 'vitest/node';

// Commands the browser tests call (through `commands` of 'vitest/browser') to drive extra
// pages in the same browser context: another tab of the same origin, which can be reloaded
// while the test itself keeps running in its own frame.

const pages = new Map<string, Page>();
let counter = 0;

function pageOf(id: string): Page {
  const page = pages.get(id);
  if (page === undefined) throw new Error(`no fixture page ${id} (closed already?)`);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => 'fixture' in globalThis, undefined, { timeout: 30_000 });
}

/** Opens `url` (on the test server's origin) in a new tab and waits for its fixture. */
export const pageOpen: BrowserCommand<[url: string]> = async (ctx, url) => {
  const page = await ctx.context.newPage();
  const id = `page-${++counter}`;
  pages.set(id, page);
  await page.goto(url);
  await ready(page);
  return id;
};

/** Evaluates a JavaScript expression in the tab and returns its (awaited) JSON value. */
export const pageEval: BrowserCommand<[id: string, expression: string]> = async (
  _ctx,
  id,
  expression,
) => pageOf(id).evaluate(expression);

/** Reloads the tab, as a user pressing F5 would, and waits for its fixture again. */
export const pageReload: BrowserCommand<[id: string]> = async (_ctx, id) => {
  const page = pageOf(id);
  await page.reload();
  await ready(page);
};

/** Closes the tab. */
export const pageClose: BrowserCommand<[id: string]> = async (_ctx, id) => {
  const page = pages.get(id);
  pages.delete(id);
  await page?.close();
};

// A real dev server for the transport tests, in a child process (dev-server-child.ts) that
// global-setup.ts starts for the run and closes after it; its default CORS rule admits the
// test page's http://localhost:<port> origin. The setup leaves the way to reach it on
// globalThis, where the commands here look it up.
const SHARED = Symbol.for('ossup.browser-tests.dev-server');

/** Where the dev server listens, and its credentials. */
export interface DevServerInfo {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly accessKeySecret: string };
}

/** What global-setup.ts leaves for the commands. */
export interface SharedDevServer {
  readonly info: DevServerInfo;
  /** Sends a request to the dev server's process (see dev-server-child.ts). */
  call(request: Record<string, unknown>): Promise<unknown>;
}

function shared(): SharedDevServer {
  const found = (globalThis as { [SHARED]?: SharedDevServer })[SHARED];
  if (found === undefined) throw new Error('the dev server was not started (global-setup.ts)');
  return found;
}

/** Makes the dev server reachable from the commands. */
export function shareDevServer(value: SharedDevServer | undefined): void {
  (globalThis as { [SHARED]?: SharedDevServer })[SHARED] = value;
}

/** Where the dev server listens, and its credentials. */
export const devServerInfo: BrowserCommand<[]> = async () => shared().info;

/** Adds a fault rule (see @ossup/dev-server's faults); returns its id. */
export const devServerFault: BrowserCommand<[spec: FaultSpec]> = (_ctx, spec) =>
  shared().call({ op: 'fault', spec });

/** Removes a fault rule. */
export const devServerClearFault: BrowserCommand<[id: string]> = async (_ctx, faultId) => {
  await shared().call({ op: 'clear', faultId });
};

/**
 * An object's size and CRC-64 as the server stores them, read in Node with its own client (not
 * the browser's), and the multipart uploads still open for the key.
 */
export const devServerObject: BrowserCommand<[bucket: string, key: string]> = (_ctx, bucket, key) =>
  shared().call({ op: 'object', bucket, key });
