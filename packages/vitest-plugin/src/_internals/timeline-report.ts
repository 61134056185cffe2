import { mkdirSync, writeFileSync } from 'node:fs';
import { timeline, timelineHtml, type Exploration, type RaceSpec, type Timeline, type ViolationKind } from '@pagecheck/core';
import { reportPath, type ReportTask } from './report-path.js';

/**
 * Writes the HTML failure timeline of a failing raceTest: one section per
 * kind that made it fail (each replayed from its Failure with core's
 * `timeline`), to `reportPath(dir, task)`. Returns the line the failure
 * message gets: the report's path, or why it could not be written.
 */
export function writeTimelineReport<S>(spec: RaceSpec<S>, e: Exploration, kinds: readonly ViolationKind[], dir: string, task: ReportTask, maxSteps?: number): string | undefined {
  const failures = kinds.map((k) => e.failures.find((f) => f.violation.kind === k)).filter((f) => f !== undefined);
  if (failures.length === 0) return undefined;
  const path = reportPath(dir, task);
  try {
    const timelines: Timeline[] = failures.map((f) => timeline(spec, f, { maxSteps }));
    const where = task.file === undefined ? '' : ` in ${task.file.name}`;
    const html = timelineHtml(timelines, { title: task.fullTestName ?? task.name, subtitle: `raceTest${where}, spec '${e.spec}'` });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, html);
  } catch (err) {
    return `(the HTML failure timeline could not be written to ${path}: ${err instanceof Error ? err.message : String(err)})`;
  }
  return `failure timeline (HTML): ${path}`;
}
