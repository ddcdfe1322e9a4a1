/**
 * Whole percent of a lesson seen, from the stored watched seconds; 0 while the
 * length is unknown. The one formula behind the catalog, My learning, the
 * completion rule (learning/completion.ts) and a record's provenance
 * (coverage/provenance.ts): catalog is the domain every one of them may use.
 */
export function watchedPercentOf(watchedSeconds: number, durationSeconds: number | null): number {
  if (!durationSeconds || durationSeconds <= 0) return 0;
  return Math.min(100, Math.floor((watchedSeconds / durationSeconds) * 100));
}
