// Tabs of one browser follow each other's sign-in and sign-out over a BroadcastChannel ('tether' by default).
import { tabMessageSchema, type TabMessage } from './session-wire.js';

export type { TabMessage };

/** The part of BroadcastChannel this module uses (so tests can pass a double). */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export interface TabSync {
  /** Tells the other tabs; a tab never hears its own messages. */
  post(message: TabMessage): void;
  /** Calls `listener` for each valid message from another tab; returns the unsubscribe function. */
  subscribe(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

export const TAB_CHANNEL = 'tether';

/**
 * Messages carry only what happened (`signed-in`, `renewed`, `ended` + reason): never a token or a
 * name, so a tab that hears one asks the server (GET /api/session) for the rest.
 * `channel` names the BroadcastChannel (apps on one origin that must not hear each other pick their own).
 * @example const sync = createTabSync(); sync.subscribe((m) => m.type === 'signed-in' && reload()); sync.post({ type: 'signed-in' });
 */
export function createTabSync({ channel: name = TAB_CHANNEL, open = () => defaultOpen(name) }: { channel?: string; open?: () => ChannelLike | null } = {}): TabSync {
  const channel = open();
  return {
    post(message) {
      // Only the known shapes go out, whatever the caller's object carries besides.
      const parsed = tabMessageSchema.safeParse(message);
      if (parsed.success) channel?.postMessage(parsed.data);
    },
    subscribe(listener) {
      if (!channel) return () => {};
      const onMessage = (event: MessageEvent): void => {
        const parsed = tabMessageSchema.safeParse(event.data);
        if (parsed.success) listener(parsed.data);
      };
      channel.addEventListener('message', onMessage);
      return () => channel.removeEventListener('message', onMessage);
    },
    close() {
      channel?.close();
    },
  };
}

function defaultOpen(name: string): ChannelLike | null {
  // Without BroadcastChannel (very old browsers) tabs simply do not follow each other.
  return typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : null;
}
