// tether-session/socketio: the Socket.IO binding (handshake, rooms, pushes, ending sockets, app events).
export { tetherSocketIO, type TetherSocketIO, type TetherSocketIOOptions } from './binding.js';
export { SocketError, createSocketRouter, type SocketRouter, type SocketEventOptions } from './router.js';
export { refusal, type OriginCheck } from './handshake.js';
export { localSocketCount, localSocketsOf, sessionRoom, userRoom, type TetherServer, type TetherSocket } from './rooms.js';
