import net from 'node:net';
import type { Document } from 'bson';
import type { Doc } from './engine/bson-values';
import { commandName, runCommand } from './commands/dispatch';
import {
  newConnectionAuth,
  saslContinue,
  saslStart,
  SCRAM_MECHANISMS,
  UNAUTHENTICATED_COMMANDS,
  unauthorized,
  type AuthUser,
  type ConnectionAuth,
} from './commands/auth';
import { asServerError } from './engine/errors';
import { SnapshotStreams } from './snapshot-stream';
import type { ServerState } from './commands/context';
import { MAX_MESSAGE_BYTES, MessageSplitter, OP_MSG, OP_QUERY, header, type WireMessage } from './protocol/framing';
import { encodeOpMsg, parseOpMsg } from './protocol/opmsg';
import { encodeOpReply, parseOpQuery } from './protocol/opquery';

export interface WireLimits {
  /** Largest message accepted, checked from its header before it is buffered (hello advertises it). */
  maxMessageBytes: number;
  /** Bytes a connection may have received but not yet handled before it stops being read. */
  maxPendingBytesPerConnection: number;
  /** Connections beyond this are closed as they arrive (mongod's maxIncomingConnections). */
  maxConnections: number;
}

const DEFAULT_WIRE_LIMITS: WireLimits = {
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxPendingBytesPerConnection: 64 * 1024 * 1024,
  maxConnections: 1000,
};

export interface WireAuth {
  user: AuthUser;
  /** Unix-socket connections skip authentication: only the data directory's owner can reach the socket. */
  exemptUnixSocket: boolean;
}

/**
 * The listening side (TCP and/or a Unix socket): one MessageSplitter per connection, messages of
 * a connection handled in order, replies written back. Commands themselves are atomic because
 * each one is applied to memory synchronously before its storage commit is awaited.
 */
export class WireServer {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private nextRequestId = 1;
  private readonly limits: WireLimits;
  private readonly snapshots: SnapshotStreams;

  constructor(
    private readonly state: ServerState,
    private readonly log: (line: string) => void = () => undefined,
    private readonly auth?: WireAuth,
    limits: Partial<WireLimits> = {},
  ) {
    this.limits = { ...DEFAULT_WIRE_LIMITS, ...limits };
    this.snapshots = new SnapshotStreams(state.storage);
  }

  /** Listens on TCP; resolves with the port (useful with port 0). */
  listen(port: number, host: string): Promise<number> {
    return this.start({ port, host }, false).then((server) => {
      const address = server.address();
      return typeof address === 'object' && address ? address.port : port;
    });
  }

  /** Listens on a Unix socket at `path` (the caller owns the directory and removed any stale file). */
  async listenUnix(path: string): Promise<void> {
    await this.start({ path }, true);
  }

  private start(options: net.ListenOptions, unix: boolean): Promise<net.Server> {
    const server = net.createServer((socket) => this.accept(socket, unix));
    server.maxConnections = this.limits.maxConnections;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options, () => {
        server.off('error', reject);
        this.servers.push(server);
        resolve(server);
      });
    });
  }

  /** Stops accepting, closes every client socket, and waits for the listeners to close. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.snapshots.endAll();
    return Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    ).then(() => undefined);
  }

  private accept(socket: net.Socket, unix: boolean): void {
    this.sockets.add(socket);
    if (!unix) socket.setNoDelay(true);
    const connectionId = this.nextConnectionId++;
    const splitter = new MessageSplitter(this.limits.maxMessageBytes);
    const connection: Connection = {
      id: connectionId,
      socket,
      clientAddress: unix ? 'unix-socket' : `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`,
      auth: this.auth && !(unix && this.auth.exemptUnixSocket) ? newConnectionAuth() : undefined,
    };
    let queue: Promise<void> = Promise.resolve();
    let queuedBytes = 0;
    const overCap = (): boolean => queuedBytes + splitter.bufferedBytes > this.limits.maxPendingBytesPerConnection;
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
        const size = m.body.length + 16;
        queuedBytes += size;
        queue = queue
          .then(() => this.handle(m, connection))
          .then(() => {
            queuedBytes -= size;
            if (socket.isPaused() && !overCap()) socket.resume();
          })
          .catch((e: unknown) => {
            this.log(`connection ${connectionId}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
            socket.destroy();
          });
      }
      // Backpressure: a client pipelining faster than commands run stops being read until they catch up.
      if (overCap()) socket.pause();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.snapshots.endConnection(connectionId);
    });
  }

  private async handle(m: WireMessage, connection: Connection): Promise<void> {
    const { socket } = connection;
    if (m.opCode === OP_MSG) {
      const fullHeader = header(m.body.length + 16, m.requestId, m.responseTo, m.opCode);
      const { command, moreToCome } = parseOpMsg(m.body, fullHeader);
      const reply = await this.execute(command, connection);
      if (!moreToCome && !socket.destroyed) socket.write(encodeOpMsg(reply, this.nextRequestId++, m.requestId));
      return;
    }
    if (m.opCode === OP_QUERY) {
      const { collection, command } = parseOpQuery(m.body);
      const db = collection.endsWith('.$cmd') ? collection.slice(0, -5) : 'admin';
      const reply = collection.endsWith('.$cmd')
        ? await this.execute({ ...command, $db: db }, connection)
        : { ok: 0, errmsg: 'OP_QUERY is only supported for commands', code: 5739101, codeName: 'Location5739101' };
      if (!socket.destroyed) socket.write(encodeOpReply(reply, this.nextRequestId++, m.requestId));
      return;
    }
    throw new Error(`unsupported opcode ${m.opCode}`);
  }

  private async execute(command: Document, connection: Connection): Promise<Doc> {
    const db = typeof command.$db === 'string' ? command.$db : 'admin';
    const name = commandName(command as Doc);
    const { auth } = connection;
    if (auth && this.auth) {
      try {
        if (name === 'saslStart') return saslStart(command as Doc, db, this.auth.user, auth);
        if (name === 'saslContinue') return saslContinue(command as Doc, this.auth.user, auth);
        if (!auth.authenticated && !UNAUTHENTICATED_COMMANDS.has(name)) throw unauthorized(name);
      } catch (e) {
        const err = asServerError(e);
        return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName };
      }
    }
    const snapshotReply = this.snapshotCommand(name, command, connection.id);
    if (snapshotReply) return snapshotReply;
    const reply = await runCommand(command as Doc, {
      server: this.state,
      db,
      connectionId: connection.id,
      clientAddress: connection.clientAddress,
      ops: [],
    });
    if (this.auth && (name === 'hello' || name === 'isMaster' || name === 'ismaster')) {
      // Tells the driver which mechanisms the user has, so it picks SCRAM-SHA-256.
      if (command.saslSupportedMechs === `admin.${this.auth.user.username}`)
        reply.saslSupportedMechs = [...SCRAM_MECHANISMS];
    }
    return reply;
  }

  /** The backup commands (snapshot-stream.ts); undefined for every other command. */
  private snapshotCommand(name: string, command: Document, connectionId: number): Doc | undefined {
    if (this.state.storageFailure !== undefined) return undefined;
    try {
      if (name === 'freshlinkSnapshot') return this.snapshots.start(connectionId);
      if (name === 'freshlinkSnapshotNext') return this.snapshots.next(command.freshlinkSnapshotNext);
      if (name === 'freshlinkSnapshotClose') {
        this.snapshots.end(command.freshlinkSnapshotClose);
        return { ok: 1 };
      }
    } catch (e) {
      const err = asServerError(e);
      return { ok: 0, errmsg: err.message, code: err.code, codeName: err.codeName };
    }
    return undefined;
  }
}

interface Connection {
  id: number;
  socket: net.Socket;
  clientAddress: string;
  /** Undefined when this connection needs no authentication. */
  auth?: ConnectionAuth;
}
