// The logger the toolkit writes to: the part of pino's interface it uses, so any pino logger fits.

/** Structured log calls: an object of fields, then a message. pino's `Logger` satisfies it. */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const nothing = (): void => {};

/** Drops everything (the default when an app passes no logger). */
export const silentLogger: Logger = { debug: nothing, info: nothing, warn: nothing, error: nothing };
