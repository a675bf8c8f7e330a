// The operations variables: DRAIN_MS, METRICS_TOKEN and the Redis Cluster form of REDIS_URL.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.js';
import { clusterNodes } from '../../server/scale/redis-cluster.js';
import { metricsAccess } from '../../server/ops/routes.js';

describe('when the operations variables are set', () => {
  it('takes DRAIN_MS from 0 to 600000, default 10000, and stops on anything else', () => {
    expect(parseConfig({}).drainMs).toBe(10_000);
    expect(parseConfig({ DRAIN_MS: '0' }).drainMs).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', '600001']) expect(() => parseConfig({ DRAIN_MS: bad })).toThrow(ConfigError);
    expect(() => parseConfig({ DRAIN_MS: 'soon' })).toThrow(/^DRAIN_MS="soon" is invalid/);
  });

  it('needs a METRICS_TOKEN of at least 16 printable characters', () => {
    expect(parseConfig({ METRICS_TOKEN: 'abcdefghijklmnop' }).metricsToken).toBe('abcdefghijklmnop');
    expect(() => parseConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseConfig({ METRICS_TOKEN: 'has a space in it ok' })).toThrow(/METRICS_TOKEN/);
  });

  it('opens /metrics on localhost, wants the token whenever it is set, and is off elsewhere without one', () => {
    expect(metricsAccess(new URL('http://localhost:3000'), undefined)).toEqual({ kind: 'open' });
    expect(metricsAccess(new URL('http://127.0.0.1:3000'), undefined)).toEqual({ kind: 'open' });
    expect(metricsAccess(new URL('https://app.example.com'), undefined)).toEqual({ kind: 'off' });
    expect(metricsAccess(new URL('http://localhost:3000'), 'tok-0123456789abcdef')).toEqual({ kind: 'token', token: 'tok-0123456789abcdef' });
  });

  it('reads REDIS_URL=redis+cluster://host:port,host:port as the seed nodes of a Redis Cluster', () => {
    const url = 'redis+cluster://:secret@10.0.0.1:7000,10.0.0.2:7001';
    expect(parseConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    expect(clusterNodes(url)).toEqual(['redis://:secret@10.0.0.1:7000', 'redis://:secret@10.0.0.2:7001']);
    expect(clusterNodes('rediss+cluster://h1:6380')).toEqual(['rediss://h1:6380']);
    expect(clusterNodes('redis://127.0.0.1:6379')).toBeNull();
    for (const bad of ['redis+cluster://', 'redis+cluster://host', 'redis+cluster://a:1,,b:2', 'cluster://a:1']) {
      expect(() => parseConfig({ REDIS_URL: bad })).toThrow(/^REDIS_URL=/);
    }
  });
});
