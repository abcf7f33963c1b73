import { describe, expect, it } from 'vitest';
import { parseConfigToml } from './toml.ts';
import { UsageError } from './usage-error.ts';

const FILE = '/home/u/.config/ossup/config.toml';

function parseError(text: string): Error {
  try {
    parseConfigToml(text, FILE);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a parse error');
}

describe('parseConfigToml', () => {
  it('reads sections, profile.NAME headers, quoted and bare values and comments', () => {
    const s = parseConfigToml(
      [
        '# top comment',
        'region = cn-hangzhou',
        '[profile.prod]  # the real one',
        'endpoint = "https://oss-cn-shanghai.aliyuncs.com" # trailing',
        "access_key_id = 'LTAI5t'",
        'path_style = true',
      ].join('\n'),
      FILE,
    );
    expect(s.get('default')).toEqual({ region: 'cn-hangzhou' });
    expect(s.get('prod')).toEqual({
      endpoint: 'https://oss-cn-shanghai.aliyuncs.com',
      access_key_id: 'LTAI5t',
      path_style: 'true',
    });
  });

  it('keeps # inside quoted values (it starts a comment only outside quotes)', () => {
    const s = parseConfigToml(
      [
        '[default]',
        'access_key_secret = "SeCr#Et"',
        "session_token = 'to#ken' # comment",
        'other = "a \\"quoted\\" # part" # comment',
      ].join('\n'),
      FILE,
    );
    expect(s.get('default')).toEqual({
      access_key_secret: 'SeCr#Et',
      session_token: 'to#ken',
      other: 'a "quoted" # part',
    });
  });

  it('names the file, line and key in errors, never the value', () => {
    const cases: [string, RegExp][] = [
      ['[default]\nsession_token = CAISleak+abc/def==', /config\.toml:2: .*session_token/],
      ['[default]\n\naccess_key_secret = "CAISleak', /config\.toml:3: .*access_key_secret/],
      ["access_key_secret = 'CAISleak' CAISleak", /config\.toml:1: .*access_key_secret/],
      ['[default]\nCAISleak+abc/def==', /config\.toml:2: /],
      ['[default]\naccess_key_secret: CAISleak', /config\.toml:2: /],
    ];
    for (const [text, expected] of cases) {
      const e = parseError(text);
      expect(e).toBeInstanceOf(UsageError);
      expect(e.message).toMatch(expected);
      expect(e.message).not.toContain('CAISleak');
      expect(e.message).not.toContain('abc/def');
    }
  });
});
