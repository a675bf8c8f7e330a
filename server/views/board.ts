// A shared counter every signed-in user sees change at once, with who changed it last.
import type { BoardState } from '../../shared/live.js';
import type { Clock } from '../sessions/clock.js';
import type { LiveView } from '../live/types.js';

const TOPIC = 'board';

/**
 * Each node keeps the board and publishes every change to all nodes (the newest change wins).
 * @example const board = createBoardView({ clock });
 */
export function createBoardView({ clock }: { clock: Clock }): LiveView<'board'> {
  let board: BoardState = { count: 0, lastBy: null, lastAt: null };
  const isBoard = (m: unknown): m is BoardState => typeof m === 'object' && m !== null && typeof (m as BoardState).count === 'number';
  return {
    name: 'board',
    topics: () => [TOPIC],
    mount: () => board,
    handleEvent(event, payload, ctx) {
      const count = event === 'reset' ? 0 : board.count + (payload as { by: 1 | -1 }).by;
      board = { count, lastBy: ctx.user.username, lastAt: clock.now() };
      ctx.publish(TOPIC, board);
      return board;
    },
    handleInfo(_topic, message) {
      if (!isBoard(message)) return;
      if ((message.lastAt ?? 0) >= (board.lastAt ?? 0)) board = message;
      return board;
    },
  };
}
