// A Redis tombstone's value: the end reason, or `renewed:<successor ID>`.
import { END_REASONS } from '../../shared/reasons.js';
import type { TombstoneReason } from '../sessions/tombstones.js';

export function tombstoneValue(reason: TombstoneReason, successor?: string): string {
  return reason === 'renewed' && successor ? `renewed:${successor}` : reason;
}

/** The tombstone as read (null or anything unknown: none). */
export function parseTombstone(value: unknown): { reason: TombstoneReason; successor?: string } | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('renewed:')) return { reason: 'renewed', successor: value.slice('renewed:'.length) };
  if (value === 'renewed' || (END_REASONS as readonly string[]).includes(value)) return { reason: value as TombstoneReason };
  return undefined;
}
