// Node only (esbuild runs a service process, which Deno's child_process cannot host); the
// factories checked here are embedded by the Node worker threads of @ossup/node and
// @ossup/dev-server anyway.
import { describe, expect, it } from 'vitest';
import { createMd5Lanes, createWasmCrc64Kernel } from '../src/index.ts';
import { helpersAddedByKeepNames } from './standalone-source.ts';

describe('factories that worker threads embed as source text', () => {
  it.each([
    ['createWasmCrc64Kernel', createWasmCrc64Kernel],
    ['createMd5Lanes', createMd5Lanes],
  ])('%s stays self-contained under a transpiler that keeps names', async (_, factory) => {
    expect(await helpersAddedByKeepNames(factory)).toEqual([]);
  });
});
