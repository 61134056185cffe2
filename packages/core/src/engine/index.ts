/** The exploration engine: threads, steps, choices and locations. It knows nothing of pages. */
export * from './op.js';
export { Memory } from './memory.js';
export { Execution, StopRun } from './execution.js';
export type { Chooser, Program, World, ThreadBody, ThreadGen, TraceStep, ExecutionOptions } from './execution.js';
export { exploreProgram } from './explore.js';
export type { EngineOptions, EngineResult, EngineFailure, Strategy } from './explore.js';
export { DfsExplorer } from './dpor.js';
export { RandomChooser, PctChooser, ReplayChooser, countPreemptions } from './strategies.js';
export { shrinkSchedule } from './shrink.js';
export { renderDiagram } from './diagram.js';
export { Rng, scheduleSeed } from './rng.js';
export * from './token.js';
