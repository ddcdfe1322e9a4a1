/** Where a lesson video is stored: by the platform (MP4 or WebM, played natively) or by Mux (HLS). */
export type PlayerKind = "local" | "mux";

/** The player's script chunks per build, for `<link rel="modulepreload">` (app/utils/client-chunks.server.ts). */
export type PlayerChunks = Record<PlayerKind, string[]>;
