// How many page and API requests this process is answering right now, as
// counted by server.js (0 where nothing counts them: the dev server, tests,
// the command line). Background work in the web process (imports) gives
// way while there are any.

declare global {
  var __requestsInFlight: number | undefined;
}

export function requestsInFlight(): number {
  return globalThis.__requestsInFlight ?? 0;
}
