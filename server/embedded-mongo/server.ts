import net from 'node:net';
import type { Document } from 'bson';
import type { Doc } from './engine/bson-values';
import { runCommand } from './commands/dispatch';
import type { ServerState } from './commands/context';
import { MessageSplitter, OP_MSG, OP_QUERY, header, type WireMessage } from './protocol/framing';
import { encodeOpMsg, parseOpMsg } from './protocol/opmsg';
import { encodeOpReply, parseOpQuery } from './protocol/opquery';

/**
 * The TCP side: one MessageSplitter per connection, messages of a connection handled in
 * order, replies written back. Commands themselves are atomic because each one is applied
 * to memory synchronously before its storage commit is awaited.
 */
export class WireServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private nextRequestId = 1;

  constructor(
    private readonly state: ServerState,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Stops accepting, closes every client socket, and waits for the listener to close. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = this.nextConnectionId++;
    const splitter = new MessageSplitter();
    let queue: Promise<void> = Promise.resolve();
    const clientAddress = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`;
    socket.on('data', (chunk) => {
      let messages: WireMessage[];
      try {
        messages = splitter.push(chunk);
      } catch (e) {
        this.log(`closing connection ${connectionId}: ${e instanceof Error ? e.message : String(e)}`);
        socket.destroy();
        return;
      }
      for (const m of messages) {
        queue = queue
          .then(() => this.handle(m, socket, connectionId, clientAddress))
          .catch((e: unknown) => {
            this.log(`connection ${connectionId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            socket.destroy();
          });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(m: WireMessage, socket: net.Socket, connectionId: number, clientAddress: string): Promise<void> {
    if (m.opCode === OP_MSG) {
      const fullHeader = header(m.body.length + 16, m.requestId, m.responseTo, m.opCode);
      const { command, moreToCome } = parseOpMsg(m.body, fullHeader);
      const reply = await this.execute(command, connectionId, clientAddress);
      if (!moreToCome && !socket.destroyed) socket.write(encodeOpMsg(reply, this.nextRequestId++, m.requestId));
      return;
    }
    if (m.opCode === OP_QUERY) {
      const { collection, command } = parseOpQuery(m.body);
      const db = collection.endsWith('.$cmd') ? collection.slice(0, -5) : 'admin';
      const reply = collection.endsWith('.$cmd')
        ? await this.execute({ ...command, $db: db }, connectionId, clientAddress)
        : { ok: 0, errmsg: 'OP_QUERY is only supported for commands', code: 5739101, codeName: 'Location5739101' };
      if (!socket.destroyed) socket.write(encodeOpReply(reply, this.nextRequestId++, m.requestId));
      return;
    }
    throw new Error(`unsupported opcode ${m.opCode}`);
  }

  private execute(command: Document, connectionId: number, clientAddress: string): Promise<Doc> {
    const db = typeof command.$db === 'string' ? command.$db : 'admin';
    return runCommand(command as Doc, { server: this.state, db, connectionId, clientAddress, ops: [] });
  }
}
