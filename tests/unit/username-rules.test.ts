import { describe, expect, it } from 'vitest';
import { credentialsSchema, passwordSchema, usernameSchema } from '../../shared/api.js';

describe('usernames', () => {
  it.each(['abc', 'Alice', 'a.b-c_d', 'x'.repeat(32), 'ALL_CAPS.123'])('accepts %s', (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(true);
  });
  it.each(['ab', 'x'.repeat(33), 'has space', 'émile', 'semi;colon', '', 'new\nline'])('refuses %j', (name) => {
    expect(usernameSchema.safeParse(name).success).toBe(false);
  });
});

describe('passwords', () => {
  it('are 8 to 256 characters', () => {
    expect(passwordSchema.safeParse('1234567').success).toBe(false);
    expect(passwordSchema.safeParse('12345678').success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(256)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(257)).success).toBe(false);
  });
});

describe('credentials', () => {
  it('refuse unknown keys (no mass assignment)', () => {
    expect(credentialsSchema.safeParse({ username: 'alice', password: 'correct horse', admin: true }).success).toBe(false);
  });
});
