// Tests that the Node driver itself cannot pass against a real MongoDB: skipped with the reason,
// so that they are not reported as faults of the server under test.

interface Deviation {
  file: string;
  description: string;
  reason: string;
}

const NULL_ID = 'node driver replaces a null _id with an ObjectId before inserting (NODE-6468)';

const PARTIAL_RESULT = 'node driver sets partialResult even when no write succeeded (NODE-6384)';
const PARTIAL = 'client-bulkWrite-partialResults.json';

// The same list the driver's own spec runner skips (its TODO(NODE-…) entries for the CRUD tests).
const DEVIATIONS: readonly Deviation[] = [
  { file: 'create-null-ids.json', description: 'inserting _id with type null via insertOne', reason: NULL_ID },
  { file: 'create-null-ids.json', description: 'inserting _id with type null via insertMany', reason: NULL_ID },
  { file: 'create-null-ids.json', description: 'inserting _id with type null via bulkWrite', reason: NULL_ID },
  { file: 'create-null-ids.json', description: 'inserting _id with type null via clientBulkWrite', reason: NULL_ID },
  {
    file: PARTIAL,
    description: 'partialResult is unset when all operations fail during an unordered bulk write',
    reason: PARTIAL_RESULT,
  },
  {
    file: PARTIAL,
    description: 'partialResult is unset when first operation fails during an ordered bulk write (summary)',
    reason: PARTIAL_RESULT,
  },
  {
    file: PARTIAL,
    description: 'partialResult is unset when first operation fails during an ordered bulk write (verbose)',
    reason: PARTIAL_RESULT,
  },
];

export function knownDriverDeviation(file: string, description: string): string | undefined {
  return DEVIATIONS.find((d) => d.file === file && d.description === description)?.reason;
}
