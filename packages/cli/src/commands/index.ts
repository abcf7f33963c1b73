import type { CommandDef } from '../command.ts';
import { abortCommand } from './abort.ts';
import { cpCommand } from './cp.ts';
import { getCommand } from './get.ts';
import { partsCommand } from './parts.ts';
import { presignCommand } from './presign.ts';
import { serveCommand } from './serve.ts';
import { statCommand } from './stat.ts';
import { uploadsCommand } from './uploads.ts';

/** Every command of the CLI, in the order help lists them. */
export const COMMANDS: readonly CommandDef[] = [
  cpCommand,
  uploadsCommand,
  partsCommand,
  abortCommand,
  getCommand,
  statCommand,
  presignCommand,
  serveCommand,
];
