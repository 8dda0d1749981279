export * from './Role.ts';
export * from './TransactionOrigin.ts';
export * from './CloseCode.ts';
export * from './MessageType.ts';
export * from './RoomId.ts';
export * from './ReadOnlyNotice.ts';
export * from './Presence.ts';
