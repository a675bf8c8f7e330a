// Wire constants with no dependencies, so the client can import them without bundling zod.

export const CSRF_HEADER = 'X-CSRF-Token';
/**
 * A GET the page makes by itself (a refetch after a server push) sends this header so it does not
 * count as the user's activity: server pushes never move the idle deadline, nor may what they trigger.
 */
export const BACKGROUND_HEADER = 'X-Tether-Background';
export const SOCKET_PATH = '/socket.io';
export const MAX_SOCKET_FRAME_BYTES = 64 * 1024;
