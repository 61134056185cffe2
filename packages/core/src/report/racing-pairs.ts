/** The racing pairs live with the engine, which knows steps and words; re-exported for the report. */
export { racingPairs, type RacingPair } from '../engine/racing.js';
