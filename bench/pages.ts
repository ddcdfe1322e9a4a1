// Server cost of the pages people open most, against the production build
// (run `npm run build` first; this script builds nothing):
//   npm run build && npm run bench:pages
// A fresh SQLite database gets what `npm start` loads (reference data, demo
// accounts and roster, courses/); the demo learner is enrolled in a course
// with a video and signed in, as is the national coordinator (sessions made
// with the app's own code). autocannon then loads, one after the other, at
// 10 connections for BENCH_SECONDS (default 10) each after a 2 s warm-up:
// the catalog (visitor, signed in), a video lesson (enrolled learner) and
// /coverage (coordinator). Each prints req/s and the server's CPU time per
// request (utime + stime of the server process from /proc/<pid>/stat, delta
// over the run / requests answered). Last, BENCH_RSS_SECONDS (default 60) of
// those four pages in turn, then the server's resident memory (VmRSS).
// BENCH_ONLY=lesson loads only the pages whose name matches. BENCH_PROFILE_DIR: the server runs with `node --cpu-prof` and writes its
// profile there on exit (`npx tsx bench/profile-summary.ts <file>`).
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { prepareDemo, startServer, stopServer } from "./demo-server";
import { figure } from "./figures";

const CONNECTIONS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RSS_SECONDS = Number(process.env.BENCH_RSS_SECONDS ?? 60);
const PORT = Number(process.env.BENCH_PORT ?? 3903);
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** The process's CPU time so far (user + system), in milliseconds. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match![1]) / 1024;
}

type Page = { name: string; path: string; cookie?: string };

async function run(pages: Page[], seconds: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: seconds,
    // Browsers ask for compressed pages.
    headers: { "accept-encoding": "gzip, deflate, br", accept: "text/html" },
    requests: pages.map((page) => ({
      method: "GET" as const,
      path: page.path,
      headers: page.cookie ? { cookie: page.cookie } : {},
    })),
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${pages.map((p) => p.name).join(", ")}: ${result.non2xx} non-2xx answers, ${result.errors} errors`,
    );
  }
  return result;
}

const demo = await prepareDemo(path.resolve("bench/out/pages"));
const learnerCookie = `th_session=${demo.learnerToken}`;
const coordinatorCookie = `th_session=${demo.coordinatorToken}`;
const pages: (Page & { aim: number | null })[] = [
  { name: "catalog (visitor)", path: "/", aim: 2 },
  { name: "catalog (signed in)", path: "/", cookie: learnerCookie, aim: 2 },
  { name: "lesson page (enrolled learner)", path: demo.lessonPath, cookie: learnerCookie, aim: 3 },
  { name: "/coverage (coordinator)", path: "/coverage", cookie: coordinatorCookie, aim: null },
];

const server = await startServer(demo, PORT, process.env.BENCH_PROFILE_DIR);
const pid = server.pid!;
const on = () =>
  `SQLite, ${CONNECTIONS} connections, ${SECONDS} s, load ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`;
console.log(
  `Pages: ${CONNECTIONS} connections, ${SECONDS} s each (server pid ${pid}, RSS ${rssMb(pid).toFixed(0)} MB)`,
);
const rows = [];
// BENCH_ONLY: a pattern of the page names to load (all by default).
const only = new RegExp(process.env.BENCH_ONLY ?? ".");
for (const page of pages.filter((p) => only.test(p.name))) {
  await run([page], 2);
  const before = cpuMs(pid);
  const result = await run([page], SECONDS);
  const cpu = (cpuMs(pid) - before) / result.requests.total;
  rows.push({
    page: page.name,
    "req/s": Math.round(result.requests.average),
    "CPU ms/req": cpu,
    "p99 ms": result.latency.p99,
  });
  figure({
    name: `${page.name} req/s`,
    value: Math.round(result.requests.average),
    unit: "req/s",
    aim: null,
    on: on(),
  });
  figure({
    name: `${page.name} server CPU`,
    value: cpu,
    unit: "ms/req",
    aim: page.aim === null ? null : { max: page.aim },
    on: on(),
  });
}
await run(pages, RSS_SECONDS);
const rss = rssMb(pid);
console.table(rows);
figure({
  name: `server RSS after ${RSS_SECONDS} s of page load`,
  value: Math.round(rss),
  unit: "MB",
  aim: { max: 300 },
  on: `SQLite, ${CONNECTIONS} connections, load ${loadavg()[0]!.toFixed(2)}`,
});

await stopServer(server);
process.exit(0);
