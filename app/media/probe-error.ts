export type ProbeReason = "not_video" | "truncated" | "no_video" | "unsupported_codec" | "inconsistent_duration";

/** A file the platform cannot use; `reason` picks the message the trainer sees. */
export class ProbeError extends Error {
  constructor(
    readonly reason: ProbeReason,
    message: string,
    /** What the message needs besides the reason (the two lengths of an inconsistent file). */
    readonly values?: Record<string, string>,
  ) {
    super(message);
  }
}
