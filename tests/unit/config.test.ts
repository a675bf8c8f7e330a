import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.js';

describe('parseConfig with no environment', () => {
  it('gives the contract defaults', () => {
    const c = parseConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl.href).toBe('http://localhost:3000/');
    expect([...c.allowedOrigins]).toEqual(['http://localhost:3000', 'http://127.0.0.1:3000']);
    expect(c.dataDir).toBe('./data');
    expect(c.sessionSecrets).toBeUndefined();
    expect(c.idleTimeoutMs).toBe(1_800_000);
    expect(c.absoluteTimeoutMs).toBe(28_800_000);
    expect(c.freshMs).toBe(600_000);
    expect(c.activityRetentionDays).toBe(90);
    expect(c.sessionStore).toBe('memory');
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.redisPrefix).toBe('tether:');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.trustProxy).toBeUndefined();
    expect(c.cookieName).toBe('sid');
    expect(c.secureCookies).toBe(false);
    expect(c.rateLimits.loginFailuresPerUser).toBe(5);
    expect(c.rateLimits.loginWindowMs).toBe(15 * 60_000);
  });
});

describe('parseConfig with an https PUBLIC_URL', () => {
  it('uses __Host-sid and Secure cookies, and allows that origin', () => {
    const c = parseConfig({ PUBLIC_URL: 'https://app.example.com', PORT: '8080' });
    expect(c.cookieName).toBe('__Host-sid');
    expect(c.secureCookies).toBe(true);
    expect(c.allowedOrigins.has('https://app.example.com')).toBe(true);
    expect(c.allowedOrigins.has('http://localhost:8080')).toBe(true);
  });
});

describe('parseConfig with lists', () => {
  it('splits SESSION_SECRET into signing + verifying secrets in order', () => {
    expect(parseConfig({ SESSION_SECRET: 'first-secret-0123456789,second-secret-0123456' }).sessionSecrets).toEqual(['first-secret-0123456789', 'second-secret-0123456']);
  });
  it('takes ALLOWED_ORIGINS exactly', () => {
    expect([...parseConfig({ ALLOWED_ORIGINS: 'https://a.example, https://b.example:8443' }).allowedOrigins]).toEqual(['https://a.example', 'https://b.example:8443']);
  });
  it('reads TRUST_PROXY as a boolean, hop count or list', () => {
    expect(parseConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });
  it('allows an idle timeout longer than the absolute one', () => {
    const c = parseConfig({ SESSION_IDLE_TIMEOUT_MS: '9000000', SESSION_ABSOLUTE_TIMEOUT_MS: '60000' });
    expect(c.idleTimeoutMs).toBeGreaterThan(c.absoluteTimeoutMs);
  });
});

describe('parseConfig with a bad value', () => {
  it.each([
    ['PORT', 'eighty'],
    ['PORT', '-1'],
    ['SESSION_IDLE_TIMEOUT_MS', '10m'],
    ['SESSION_IDLE_TIMEOUT_MS', '0'],
    ['SESSION_ABSOLUTE_TIMEOUT_MS', '1.5'],
    ['SESSION_STORE', 'Memory'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_URL', 'localhost:3000'],
    ['ALLOWED_ORIGINS', 'https://a.example/path'],
    ['SESSION_SECRET', 'short'],
    ['REDIS_PREFIX', 'has space'],
    ['SESSION_FRESH_MS', 'ten minutes'],
    ['ACTIVITY_RETENTION_DAYS', '0'],
    ['ACTIVITY_RETENTION_DAYS', '1.5'],
    ['ACTIVITY_RETENTION_DAYS', '40000'],
  ])('%s=%s throws a ConfigError naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`^${name}=.* is invalid: expected .+`));
  });
});
