import { formatClock } from "~/utils/format";
import { ProbeError } from "./probe-error";

// A header may round or leave out an encoder's priming and last-frame time
// (AAC's 1024-sample priming, a final frame without a duration): real files
// differ by tens of milliseconds. A second apart, the header is not describing
// these frames (decision 013).
export const LENGTH_TOLERANCE_SECONDS = 1;

/**
 * Refuses a file whose header claims a length its frames do not have: a 30 s
 * video whose header says 200 s would otherwise pass as a 3:20 lesson.
 */
export function assertLengthsAgree(what: string, declaredSeconds: number, measuredSeconds: number): void {
  if (Math.abs(declaredSeconds - measuredSeconds) > LENGTH_TOLERANCE_SECONDS)
    throw inconsistent(what, declaredSeconds, measuredSeconds);
}

/** The one-sided check, for a header that may legitimately show less than the frames (an MP4 edit list that trims). */
export function assertNoLongerThan(what: string, declaredSeconds: number, measuredSeconds: number): void {
  if (declaredSeconds - measuredSeconds > LENGTH_TOLERANCE_SECONDS)
    throw inconsistent(what, declaredSeconds, measuredSeconds);
}

function inconsistent(what: string, declaredSeconds: number, measuredSeconds: number) {
  return new ProbeError(
    "inconsistent_duration",
    `${what} says ${declaredSeconds.toFixed(3)} s but the frames last ${measuredSeconds.toFixed(3)} s`,
    { declared: formatClock(declaredSeconds), measured: formatClock(measuredSeconds) },
  );
}
