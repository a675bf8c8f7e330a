// Properties of the wire schemas in shared/: total (never throw), exact about what they accept, immune to pollution keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialsSchema, loginSchema, passwordChangeSchema, PASSWORD_MAX, PASSWORD_MIN, sessionHandleSchema, USERNAME_PATTERN } from '../../shared/api.js';
import { handshakeAuthSchema, touchPayloadSchema } from '../../shared/events.js';

const SCHEMAS = { touchPayloadSchema, handshakeAuthSchema, credentialsSchema, loginSchema, passwordChangeSchema, sessionHandleSchema };

/** Values as they arrive off the wire (JSON.parse), including own `__proto__` and `constructor` keys. */
const wireValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue({ maxDepth: 2 }))
  .map(([value, key, extra]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    // JSON.parse makes `__proto__` an own property, as a hostile body would.
    const members = JSON.stringify(value).slice(1, -1);
    return JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(extra)}${members ? `,${members}` : ''}}`) as unknown;
  });
const anyInput = fc.oneof(fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true }), wireValue);

const isPlainEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

describe('every schema', () => {
  it.each(Object.entries(SCHEMAS))('%s never throws and never pollutes Object.prototype', (_name, schema) => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = schema.safeParse(input);
        expect(typeof result.success).toBe('boolean');
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(({} as Record<string, unknown>).constructor).toBe(Object);
      }),
    );
  });
});

describe('touchPayloadSchema', () => {
  it('accepts no payload or an empty object, and nothing else', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const ok = touchPayloadSchema.safeParse(input).success;
        if (ok) expect(input === undefined || isPlainEmptyObject(input)).toBe(true);
        if (input === undefined || (isPlainEmptyObject(input) && Object.getPrototypeOf(input) === Object.prototype)) expect(ok).toBe(true);
      }),
    );
  });
});

describe('credentialsSchema (register)', () => {
  const username = fc.oneof(fc.stringMatching(USERNAME_PATTERN), fc.string({ maxLength: 40 }));
  const password = fc.string({ minLength: 0, maxLength: PASSWORD_MAX + 10 });

  it('accepts exactly a valid username and a password of 8 to 256 characters', () => {
    fc.assert(
      fc.property(username, password, (u, p) => {
        const valid = USERNAME_PATTERN.test(u) && p.length >= PASSWORD_MIN && p.length <= PASSWORD_MAX;
        expect(credentialsSchema.safeParse({ username: u, password: p }).success).toBe(valid);
      }),
    );
  });

  it('refuses any extra key, prototype-pollution keys included', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(USERNAME_PATTERN),
        fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin'), fc.string({ minLength: 1 }).filter((k) => k !== 'username' && k !== 'password')),
        fc.jsonValue(),
        (u, key, value) => {
          const body = JSON.parse(`{"username":${JSON.stringify(u)},"password":"correct horse",${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`) as unknown;
          expect(credentialsSchema.safeParse(body).success).toBe(false);
          expect(loginSchema.safeParse(body).success).toBe(false);
        },
      ),
    );
  });
});

describe('loginSchema', () => {
  it('accepts any username shape-wise (so a bad one is invalid_credentials, not a hint) but bounds lengths', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (u, p) => {
        expect(loginSchema.safeParse({ username: u, password: p }).success).toBe(u.length <= 256 && p.length <= PASSWORD_MAX);
      }),
    );
  });
});

describe('handshakeAuthSchema', () => {
  it('takes a token of 1 to 256 characters, and never from a `__proto__` key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (token) => {
        expect(handshakeAuthSchema.safeParse({ csrfToken: token }).success).toBe(token.length >= 1 && token.length <= 256);
        const hidden = JSON.parse(`{"__proto__":{"csrfToken":${JSON.stringify(token)}}}`) as unknown;
        expect(handshakeAuthSchema.safeParse(hidden).success).toBe(false);
        // (zod does read inherited properties, e.g. of Object.create({ csrfToken }); input off the
        // wire is JSON.parse'd, which only ever makes own properties, so that is out of reach.)
      }),
    );
  });
});

describe('sessionHandleSchema', () => {
  it('accepts 1 to 64 URL-safe base64 characters only (no path tricks)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/), fc.constantFrom('..', '../x', '%2e%2e', 'a/b', '')), (handle) => {
        expect(sessionHandleSchema.safeParse(handle).success).toBe(/^[A-Za-z0-9_-]{1,64}$/.test(handle));
      }),
    );
  });
});
