import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { parseCommandArgs } from './parse-args.ts';

describe('parseCommandArgs', () => {
  it('hands every declared --no-* option to its command under its own name', () => {
    let seen = 0;
    for (const cmd of COMMANDS.filter((c) => !c.rawArgs)) {
      const options = { ...GLOBAL_OPTIONS, ...cmd.options };
      for (const name of Object.keys(options).filter((n) => n.startsWith('no-'))) {
        seen++;
        const { values } = parseCommandArgs(options, [`--${name}`, 'oss://b/k']);
        expect({ cmd: cmd.name, name, value: values[name] }).toEqual({
          cmd: cmd.name,
          name,
          value: true,
        });
        expect(values[name.slice(3)]).toBeUndefined();
      }
    }
    // cp's --no-resume and --no-crc at least: the loop above must not pass by finding none.
    expect(seen).toBeGreaterThanOrEqual(2);
  });

  it('leaves declared options unset when not given, and negates plain booleans', () => {
    const cp = COMMANDS.find((c) => c.name === 'cp')!;
    const options = { ...GLOBAL_OPTIONS, ...cp.options };
    const { values, positionals } = parseCommandArgs(options, [
      'a',
      'oss://b/k',
      '--no-path-style',
    ]);
    expect(values['no-resume']).toBeUndefined();
    expect(values['no-crc']).toBeUndefined();
    expect(values['path-style']).toBe(false);
    expect(positionals).toEqual(['a', 'oss://b/k']);
  });

  it('still refuses unknown options', () => {
    const cp = COMMANDS.find((c) => c.name === 'cp')!;
    expect(() => parseCommandArgs({ ...GLOBAL_OPTIONS, ...cp.options }, ['--no-frob'])).toThrow(
      /Unknown option '--no-frob'/,
    );
  });
});
