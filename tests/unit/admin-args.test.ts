// The operators' command line: what parses, and the one-line refusals (exit 2) for what does not.
import { describe, expect, it } from 'vitest';
import { AdminUsageError, parseAdminArgs } from '../../server/admin/args.js';

describe('parseAdminArgs', () => {
  it('reads each command with its flags', () => {
    expect(parseAdminArgs(['sessions', 'alice', '--json'])).toEqual({ name: 'sessions', username: 'alice', json: true });
    expect(parseAdminArgs(['end', 'alice', '--reason', 'logout_everywhere'])).toEqual({ name: 'end', username: 'alice', reason: 'logout_everywhere', json: false });
    expect(parseAdminArgs(['end', '--reason=revoked', 'alice'])).toEqual({ name: 'end', username: 'alice', reason: 'revoked', json: false });
    expect(parseAdminArgs(['end', 'alice'])).toMatchObject({ reason: 'revoked' });
    expect(parseAdminArgs(['lock', 'alice'])).toEqual({ name: 'lock', username: 'alice', json: false });
    expect(parseAdminArgs([])).toEqual({ name: 'help' });
  });

  it.each([
    [['nope', 'alice']],
    [['sessions']],
    [['sessions', 'a', 'b']],
    [['end', 'alice', '--reason', 'because']],
    [['end', 'alice', '--reason']],
    [['lock', 'alice', '--reason', 'revoked']],
    [['unlock', 'alice', '--force']],
  ])('refuses %j with one line', (argv) => {
    expect(() => parseAdminArgs(argv)).toThrow(AdminUsageError);
    try {
      parseAdminArgs(argv);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
