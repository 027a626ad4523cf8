/** The only code that touches the capacities collection. */
import type { Connection } from 'mongoose';
import type { FarmCapacity } from '../../../../shared/domain/capacity';
import { capacityModel, type CapacityDoc } from './capacity.model';

export type CapacityRecord = FarmCapacity & { updatedAt: Date; updatedBy: string };

const toRecord = ({ _id, ...rest }: CapacityDoc): CapacityRecord => ({ orgId: _id, ...rest });

export function createCapacityRepository(connection: Connection) {
  const Capacities = capacityModel(connection);
  return {
    async get(orgId: string): Promise<CapacityRecord | null> {
      const doc = await Capacities.findById(orgId).lean<CapacityDoc>();
      return doc ? toRecord(doc) : null;
    },
    /** Every farm's capacity (the chamber's market-wide outlook), by organisation id. */
    async list(): Promise<CapacityRecord[]> {
      const docs = await Capacities.find({}).sort({ _id: 1 }).lean<CapacityDoc[]>();
      return docs.map(toRecord);
    },
    /** Replaces the farm's capacity (upsert: the last writer wins, which is what a settings form means). */
    async put(record: CapacityRecord): Promise<CapacityRecord> {
      const { orgId, ...rest } = record;
      const doc = await Capacities.findOneAndReplace(
        { _id: orgId },
        { _id: orgId, ...rest },
        { upsert: true, returnDocument: 'after' },
      ).lean<CapacityDoc>();
      if (!doc) throw new Error('capacity upsert returned nothing');
      return toRecord(doc);
    },
  };
}

export type CapacityRepository = ReturnType<typeof createCapacityRepository>;
