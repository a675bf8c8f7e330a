// The page-level signals a session follows: other tabs, the tab becoming visible, user activity.
import { watchActivity, type TabMessage, type TabSync } from './toolkit/index.js';

export interface PageSignals {
  onTabMessage(message: TabMessage): void;
  onVisible(): void;
  onActivity(): void;
}

/**
 * Subscribes to everything at once and returns the one function that undoes it all (for a Lit
 * controller's `hostDisconnected`). The channel is closed with it.
 * @example const stop = watchPage(window, createTabSync(), { onTabMessage, onVisible, onActivity }); stop();
 */
export function watchPage(win: Window, tabs: TabSync, signals: PageSignals): () => void {
  const onVisibility = (): void => {
    if (win.document.visibilityState === 'visible') signals.onVisible();
  };
  win.document.addEventListener('visibilitychange', onVisibility);
  const stops = [
    tabs.subscribe((message) => signals.onTabMessage(message)),
    () => win.document.removeEventListener('visibilitychange', onVisibility),
    watchActivity(win, () => signals.onActivity()),
    () => tabs.close(),
  ];
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}
