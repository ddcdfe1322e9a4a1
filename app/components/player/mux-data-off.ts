// Stands in for `mux-embed` (Mux Data, ~25 KB Brotli) in the client build (vite.config.ts).
// The player always runs with `disableTracking`, so @mux/playback-core never calls
// `monitor`; it uses only these two helpers, to time the player's start and to name
// a playback session (docs/decisions/170-player-bytes.md).
const muxDataOff = {
  utils: {
    now: (): number => Date.now(),
    generateUUID: (): string => crypto.randomUUID(),
  },
  monitor(): void {
    throw new Error("Mux Data is not in this build: the player must run with disableTracking");
  },
};

export default muxDataOff;
