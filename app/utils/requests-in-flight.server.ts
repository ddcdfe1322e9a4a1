// How many page and API requests this process is answering right now, and
// how many it has begun since it started, as counted by server.js (0 and
// null where nothing counts them: the dev server, tests, the command line).
// Background work in the web process (imports) gives way while there are
// any, and works longer stretches while none come (decision 160).

declare global {
  var __requestsInFlight: number | undefined;
  var __requestsStarted: number | undefined;
}

export function requestsInFlight(): number {
  return globalThis.__requestsInFlight ?? 0;
}

/** Requests begun so far; null where nothing counts them (no telling whether requests come). */
export function requestsStarted(): number | null {
  return globalThis.__requestsStarted ?? null;
}
