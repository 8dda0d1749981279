export * from './AbSwitch.ts';
export * from './createReviewContext.ts';
export * from './ReviewClient.ts';
export type * from './ReviewContext.ts';
export * from './mr-approval-badge.ts';
export * from './mr-bake-notice.ts';
export * from './mr-review-panel.ts';
export * from './mr-review-dock.ts';
