// The per-test entity map: clients, databases, collections, sessions, cursors and saved results.
import { MongoClient, type AbstractCursor, type ClientSession, type Collection, type Db } from 'mongodb';
import { clientOptionsFromUri, collectionOrDatabaseOptions, toServerApi } from './arguments';
import type { Doc } from './bson-values';
import type { MatchContext } from './matcher';
import type { EntityDescription } from './types';

export type Entity =
  | { kind: 'client'; client: MongoClient }
  | { kind: 'database'; db: Db }
  | { kind: 'collection'; collection: Collection<Doc> }
  | { kind: 'session'; session: ClientSession }
  | { kind: 'cursor'; cursor: AbstractCursor<Doc> }
  | { kind: 'value'; value: unknown };

type Kind = Entity['kind'];
type EntityOf<K extends Kind> = Extract<Entity, { kind: K }>;

/** Options every client gets so that a stuck server fails a test instead of hanging the run. */
const BASE_CLIENT_OPTIONS = { serverSelectionTimeoutMS: 5000, connectTimeoutMS: 5000, socketTimeoutMS: 20000 };

export class EntityMap {
  private readonly entities = new Map<string, Entity>();
  private readonly enabledFailPoints: { client: MongoClient; name: string }[] = [];

  constructor(private readonly uri: string) {}

  get<K extends Kind>(name: string, kind: K): EntityOf<K> {
    const entity = this.entities.get(name);
    if (!entity) throw new Error(`entity '${name}' is not defined`);
    if (entity.kind !== kind) throw new Error(`entity '${name}' is a ${entity.kind}, not a ${kind}`);
    return entity as EntityOf<K>;
  }

  find(name: string): Entity | undefined {
    return this.entities.get(name);
  }

  add(name: string, entity: Entity): void {
    if (this.entities.has(name)) throw new Error(`entity '${name}' is already defined`);
    this.entities.set(name, entity);
  }

  async create(descriptions: EntityDescription[]): Promise<void> {
    for (const description of descriptions) await this.createOne(description);
  }

  private async createOne(d: EntityDescription): Promise<void> {
    if (d.client) {
      const serverApi = d.client.serverApi === undefined ? {} : { serverApi: toServerApi(d.client.serverApi) };
      const options = { ...BASE_CLIENT_OPTIONS, ...clientOptionsFromUri(d.client.uriOptions), ...serverApi };
      const client = new MongoClient(this.uri, options);
      this.add(d.client.id, { kind: 'client', client });
      await client.connect();
    } else if (d.database) {
      const { client } = this.get(d.database.client, 'client');
      const db = client.db(d.database.databaseName, collectionOrDatabaseOptions(d.database.databaseOptions));
      this.add(d.database.id, { kind: 'database', db });
    } else if (d.collection) {
      const { db } = this.get(d.collection.database, 'database');
      const options = collectionOrDatabaseOptions(d.collection.collectionOptions);
      this.add(d.collection.id, {
        kind: 'collection',
        collection: db.collection<Doc>(d.collection.collectionName, options),
      });
    } else if (d.session) {
      const { client } = this.get(d.session.client, 'client');
      this.add(d.session.id, { kind: 'session', session: client.startSession(d.session.sessionOptions ?? {}) });
    } else {
      throw new Error(`unsupported entity type ${Object.keys(d).join(', ')}`);
    }
  }

  recordFailPoint(client: MongoClient, name: string): void {
    this.enabledFailPoints.push({ client, name });
  }

  /** Lets the matcher resolve $$matchesEntity and $$sessionLsid. */
  matchContext(): MatchContext {
    return {
      entity: (name) => {
        const entity = this.entities.get(name);
        if (!entity || entity.kind !== 'value') throw new Error(`no saved value entity '${name}'`);
        return entity.value;
      },
      sessionLsid: (name) => this.get(name, 'session').session.id,
    };
  }

  /** Disables fail points, ends sessions, closes cursors and clients; never throws. */
  async close(): Promise<string[]> {
    const problems: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    for (const fp of this.enabledFailPoints) {
      await attempt(`disable fail point ${fp.name}`, () =>
        fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }),
      );
    }
    for (const entity of this.entities.values()) {
      if (entity.kind === 'cursor') await attempt('close cursor', () => entity.cursor.close());
      if (entity.kind === 'session') await attempt('end session', () => entity.session.endSession());
    }
    for (const entity of this.entities.values()) {
      if (entity.kind === 'client') await attempt('close client', () => entity.client.close());
    }
    this.entities.clear();
    return problems;
  }
}
