export * from './Role.ts';
export * from './TransactionOrigin.ts';
