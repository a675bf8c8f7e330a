// What every server under test offers the child process that hosts it.
export interface RunningServer {
  port: number;
  /** Connected Socket.IO sockets. */
  socketCount(): number;
  close(): Promise<void>;
}
