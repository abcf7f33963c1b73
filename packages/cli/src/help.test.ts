import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { commandHelp } from './help.ts';

describe('commandHelp', () => {
  it('lists the global options for commands that read them, not for serve (raw arguments)', () => {
    for (const cmd of COMMANDS) {
      const help = commandHelp(cmd);
      expect(help.startsWith(`Usage: ossup ${cmd.usage}`)).toBe(true);
      if (cmd.rawArgs) expect(help).not.toContain('Global options:');
      else expect(help).toContain('Global options:');
    }
    expect(COMMANDS.some((c) => c.rawArgs)).toBe(true);
  });
});
