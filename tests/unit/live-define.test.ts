// Live views are checked where they are defined: names, events without a handler, two views of one name.
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createLiveRuntime, createTopics, defineLiveSchemas, defineLiveView, type LiveRuntimeOptions } from '../../server/live/index.js';
import { silentLogger } from '../../server/sessions/index.js';

const counter = defineLiveSchemas({ name: 'counter', state: z.object({ n: z.number() }), events: { add: z.strictObject({ by: z.number() }) } });

describe('when a view is defined', () => {
  it('refuses a name or an event name that is not 1-64 letters, digits, - or _', () => {
    expect(() => defineLiveSchemas({ name: '', state: z.object({}) })).toThrow(/live view name "" must be/);
    expect(() => defineLiveSchemas({ name: 'a b', state: z.object({}) })).toThrow(/live view name "a b" must be/);
    expect(() => defineLiveSchemas({ name: 'x'.repeat(65), state: z.object({}) })).toThrow(/must be 1-64/);
    expect(() => defineLiveSchemas({ name: 'ok', state: z.object({}), events: { 'no way': z.strictObject({}) } })).toThrow(/event "no way" of live view ok/);
  });

  it('gives a view without events none, and freezes the schemas object', () => {
    const quiet = defineLiveSchemas({ name: 'quiet', state: z.object({}) });
    expect(quiet.events).toEqual({});
    expect(Object.isFrozen(quiet)).toBe(true);
  });

  it('refuses a view whose schemas declare events but that has no handleEvent', () => {
    expect(() => defineLiveView({ schemas: counter, mount: () => ({ n: 0 }) })).toThrow('live view counter declares events (add) but no handleEvent');
  });

  it('takes its name from its schemas', () => {
    expect(defineLiveView({ schemas: counter, mount: () => ({ n: 0 }), handleEvent: ({ payload }, _ctx, s) => ({ n: s.n + payload.by }) }).name).toBe('counter');
  });
});

describe('when two registered views share a name', () => {
  it('the runtime refuses to start', () => {
    const view = defineLiveView({ schemas: counter, mount: () => ({ n: 0 }), handleEvent: () => undefined });
    const io = { on() {}, serverSideEmit() {} } as unknown as LiveRuntimeOptions['io'];
    const options: LiveRuntimeOptions = {
      io,
      lifecycle: { isEnded: () => false, readApp: async () => null, writeApp: async () => null, get: async () => null, isFresh: () => false },
      router: { on() {} },
      topics: createTopics(io, false),
      log: silentLogger,
      views: [view, { ...view }],
      username: async (id) => id,
    };
    expect(() => createLiveRuntime(options)).toThrow('two live views are named "counter"');
  });
});
