/** The baseline for socket connections (bench:market): a bare socket.io server, no session, no rooms. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const server = http.createServer();
const io = new Server(server, { serveClient: false });
io.on('connection', () => undefined);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`raw socket.io listening on ${(server.address() as AddressInfo).port}\n`);
});
