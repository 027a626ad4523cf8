export * from './periods';
export * from './ledger';
export * from './sell-through';
export * from './csv';
export * from './visits';
export * from './problems';
export * from './at-risk';
export * from './proposals';
