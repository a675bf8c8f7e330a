// Times and counts as the page writes them: "14:05", "3 Mar, 14:05", "0:45", "2 live tabs".

export interface ClockFormat {
  locale?: string;
  /** For tests; the browser's own zone otherwise. */
  timeZone?: string;
}

const dayKey = (at: number, timeZone: string | undefined): string =>
  new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(at);

/**
 * A time of day, with the date when it is not today.
 * @example formatClock(at, now, { locale: 'en-GB', timeZone: 'UTC' }) // '14:05' or '3 Mar, 14:05'
 */
export function formatClock(at: number, now: number, { locale, timeZone }: ClockFormat = {}): string {
  const zone = timeZone ? { timeZone } : {};
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', ...zone }).format(at);
  if (dayKey(at, timeZone) === dayKey(now, timeZone)) return time;
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', ...zone }).format(at);
  return `${day}, ${time}`;
}

/**
 * Seconds as a clock countdown.
 * @example formatCountdown(45) // '0:45'
 * @example formatCountdown(3725) // '1:02:05'
 */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** @example liveTabs(2) // '2 live tabs' */
export function liveTabs(count: number): string {
  if (count <= 0) return 'No live tabs';
  return count === 1 ? '1 live tab' : `${count} live tabs`;
}

/** @example tabsCount(1) // '1 tab' */
export function tabsCount(count: number): string {
  return count === 1 ? '1 tab' : `${count} tabs`;
}

/**
 * A duration in the largest two units that matter.
 * @example formatUptime(42) // '42 s'
 * @example formatUptime(7500) // '2 h 5 min'
 */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** @example formatTimeOfDay(at, { locale: 'en-GB', timeZone: 'UTC' }) // '14:05:09' */
export function formatTimeOfDay(at: number, { locale, timeZone }: ClockFormat = {}): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit', ...(timeZone ? { timeZone } : {}) }).format(at);
}
