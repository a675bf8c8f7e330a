// A shared counter every signed-in user sees change at once, with who changed it last.
import { boardSchemas, type BoardState } from '../../shared/views/board.js';
import type { Clock } from '../sessions/index.js';
import { defineLiveView, type LiveView } from '../live/index.js';
import { createMemoryBoardCounter, isBoardSnapshot, type BoardCounter, type BoardSnapshot } from './board-counter.js';

const TOPIC = 'board';

/**
 * The count lives in `counter` (Redis when clustered: atomic, shared, read again by a node that
 * restarts); every change is published to every node's subscribers with its version, and each
 * node keeps the newest version it has seen, whatever order the messages arrive in.
 * @example const board = createBoardView({ clock, counter: createBoardCounter(stores.redis) });
 */
export function createBoardView({ clock, counter = createMemoryBoardCounter() }: { clock: Clock; counter?: BoardCounter }): LiveView<typeof boardSchemas> {
  let latest: BoardSnapshot = { board: { count: 0, lastBy: null, lastAt: null }, version: 0 };
  const keep = (snapshot: BoardSnapshot): BoardState => {
    if (snapshot.version > latest.version) latest = snapshot;
    return latest.board;
  };
  return defineLiveView({
    schemas: boardSchemas,
    topics: () => [TOPIC],
    mount: async () => keep(await counter.read()),
    async handleEvent(message, ctx) {
      const [who, at] = [ctx.user.username, clock.now()];
      const snapshot = message.event === 'reset' ? await counter.reset(who, at) : await counter.bump(message.payload.by, who, at);
      ctx.publish(TOPIC, snapshot);
      return keep(snapshot);
    },
    handleInfo: (_topic, message) => (isBoardSnapshot(message) ? keep(message) : undefined),
  });
}
