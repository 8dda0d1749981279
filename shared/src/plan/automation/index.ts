export type { ParamEvent, ParamSchedule } from './ParamSchedule.ts';
export { MAX_SCHEDULE_EVENTS, SCHEDULE_TOLERANCE } from './ParamSchedule.ts';
export { laneSchedule } from './laneSchedule.ts';
export { BALANCE_LEFT, BALANCE_RIGHT, DB_TO_GAIN, gateSchedule, mapSchedule, scheduleLineAt } from './mapSchedule.ts';
export type { ScheduleMapping } from './mapSchedule.ts';
export { ScheduleCursor } from './ScheduleCursor.ts';
export { stripAutomation } from './stripAutomation.ts';
export type { StripAutomation } from './stripAutomation.ts';
