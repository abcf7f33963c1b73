import { commands } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    pageOpen: (url: string) => Promise<string>;
    pageEval: (id: string, expression: string) => Promise<unknown>;
    pageReload: (id: string) => Promise<void>;
    pageClose: (id: string) => Promise<void>;
  }
}

/** Another tab of the test server's origin, running fixtures/page.ts. */
export interface FixturePage {
  /** Evaluates an expression there (e.g. `fixture.read("x")`) and returns its JSON value. */
  eval<T = unknown>(expression: string): Promise<T>;
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Opens fixtures/page.html in a new tab of the same browser context. */
export async function openFixturePage(): Promise<FixturePage> {
  const url = new URL('/test-browser/fixtures/page.html', location.origin).href;
  const id = await commands.pageOpen(url);
  return {
    eval: async <T>(expression: string) => (await commands.pageEval(id, expression)) as T,
    reload: () => commands.pageReload(id),
    close: () => commands.pageClose(id),
  };
}
