// The last theme this browser applied, kept in localStorage so the next load paints it from the first frame.
import { THEMES, type Theme } from '../shared/views/prefs.js';

/**
 * The storage key. client/public/theme-boot.js (a classic script in <head>, since the CSP forbids
 * inline scripts and a module script would run after the first paint) reads the same key.
 */
export const THEME_STORAGE_KEY = 'tether:theme';

/** What the page needs of localStorage (tests pass a Map-backed double). */
export type ThemeStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const browserStorage = (): ThemeStorage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings): the page still works, it only paints later
  }
};

/**
 * The theme the previous load applied, or null (none yet, or storage unavailable).
 * @example const theme = cachedTheme() ?? 'system';
 */
export function cachedTheme(storage: ThemeStorage | null = browserStorage()): Theme | null {
  try {
    const value = storage?.getItem(THEME_STORAGE_KEY);
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as Theme) : null;
  } catch {
    return null;
  }
}

/**
 * Remembers the theme now applied ('system' forgets: the next load follows the system from the start).
 * @example rememberTheme('dark');
 */
export function rememberTheme(theme: Theme, storage: ThemeStorage | null = browserStorage()): void {
  try {
    if (theme === 'system') storage?.removeItem(THEME_STORAGE_KEY);
    else storage?.setItem(THEME_STORAGE_KEY, theme);
  } catch {
    // Quota or disabled storage: only the first paint of the next load is affected.
  }
}
