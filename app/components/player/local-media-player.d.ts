// Mux Player built without hls.js, for locally stored videos (vite.config.ts,
// `localMediaPlayer`): the same module, with the same exports.
declare module "@mux/mux-player-react?local-media" {
  export * from "@mux/mux-player-react";
  export { default } from "@mux/mux-player-react";
}
