import { codeFrame, frameLocation, sourceMapped } from './code-frame.js';
import { userFrames } from './stack-frames.js';

/**
 * Where the user's code threw, for a thread-error's report: the user's own
 * frames (the model's and the engine's left out), source-mapped, and a code
 * frame at the first of them. Empty when the error has no user frame (an
 * error the engine raised itself).
 */
export function formatThrownAt(error: unknown): string {
  const frames = userFrames(error).map(sourceMapped);
  if (frames.length === 0) return '';
  const lines = ['thrown at:', ...frames.map((f) => `  ${f.fn === undefined ? '' : `${f.fn} `}(${frameLocation(f)})`)];
  const frame = codeFrame(frames[0]!);
  if (frame !== '') lines.push('', frame);
  return lines.join('\n');
}
