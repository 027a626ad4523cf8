// Placeholder until the embedded server lands (issue 2). Public API — keep this shape.
export interface EmbeddedMongoOptions {
  /** Directory for the durable data files; created if missing. */
  dbPath: string;
  host?: string;
  /** 0 = pick a free port. */
  port?: number;
}

export interface EmbeddedMongo {
  uri: string;
  port: number;
  close(): Promise<void>;
}

export async function startEmbeddedMongo(_options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  throw new Error('embedded MongoDB server not implemented yet');
}
