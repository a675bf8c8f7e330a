// Types of scripts/ensure-built.mjs, for the TypeScript callers (the browser tests' global setup, screenshot.ts).
export type BuildPart = 'client' | 'server';
/** Whether a part is missing or older than any of its sources. */
export function isStale(part: BuildPart, root?: string): boolean;
/** Builds one part when stale, into a fresh directory swapped in; resolves with whether it built. */
export function ensurePart(part: BuildPart, root?: string): Promise<boolean>;
/** Builds each stale part; resolves with the parts it built. */
export function ensureBuilt(parts?: ReadonlyArray<BuildPart>, root?: string): Promise<BuildPart[]>;
