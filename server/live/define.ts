// defineLiveView: a server view from its shared schemas and its handlers, checked at creation.
import type { LiveSchemas } from '../../shared/live.js';
import type { LiveView, LiveViewHandlers } from './types.js';

/**
 * Binds handlers to a view's schemas (from the app's shared code, so the client is typed by the
 * same object). Events named in the schemas need `handleEvent`; a view without events may omit it.
 * @example export const boardView = defineLiveView({
 *            schemas: boardSchemas,
 *            mount: () => ({ count: 0 }),
 *            handleEvent: ({ payload }, _ctx, state) => ({ count: state.count + payload.by }),
 *          });
 */
export function defineLiveView<D extends LiveSchemas>(view: { schemas: D } & LiveViewHandlers<D>): LiveView<D> {
  const { schemas } = view;
  if (typeof view.mount !== 'function') throw new TypeError(`live view ${schemas.name} needs a mount function`);
  if (Object.keys(schemas.events).length > 0 && typeof view.handleEvent !== 'function') {
    throw new TypeError(`live view ${schemas.name} declares events (${Object.keys(schemas.events).join(', ')}) but no handleEvent`);
  }
  return { ...view, name: schemas.name };
}
