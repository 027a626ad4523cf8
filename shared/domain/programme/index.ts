export * from './scope';
export * from './campaign';
export * from './pairing';
export * from './recommend';
export * from './remediation';
export * from './dashboard';
