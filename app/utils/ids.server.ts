import { randomBytes } from "node:crypto";

// Row ids for bulk writes that sort by creation time. A random id (UUID)
// lands every insert on a different page of every index, so a 200,000-row
// import rewrote gigabytes of index pages; ids that grow append at the end.
// Time, then a counter, then a tag drawn once per process: unique across
// processes writing at the same millisecond.

const PROCESS_TAG = randomBytes(6).toString("hex");
let lastTime = 0;
let counter = 0;

export function sortableId(): string {
  const now = Date.now();
  if (now > lastTime) {
    lastTime = now;
    counter = 0;
  } else {
    counter++;
  }
  return `c${lastTime.toString(36).padStart(9, "0")}${counter.toString(36).padStart(5, "0")}${PROCESS_TAG}`;
}
