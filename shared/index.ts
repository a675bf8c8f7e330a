// tether-session/wire: the wire contract both sides share — socket events, end reasons, refusals, HTTP shapes.
export * from './events.js';
export * from './reasons.js';
export * from './api.js';
export { CSRF_HEADER, BACKGROUND_HEADER, SOCKET_PATH, MAX_SOCKET_FRAME_BYTES } from './constants.js';
export * from './live.js';
