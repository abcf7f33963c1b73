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
