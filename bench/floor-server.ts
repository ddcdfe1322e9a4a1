// The floor for bench/progress.ts: a bare node:http server over better-sqlite3
// doing the same work per report as the app's progress endpoint (session
// lookup, lesson, enrolment and view checks, read-merge-write of the watched
// ranges, the learner's watch clock moved by 0.5 s per second credited),
// with none of the framework around it.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { coveredSeconds, mergeIntervals, type Interval } from "~/learning/intervals";
import { sqliteFilePath } from "~/utils/env.server";

const db = new Database(sqliteFilePath(process.env.DATABASE_URL!));
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");

const session = db.prepare(`SELECT "userId", "expiresAt" FROM "Session" WHERE "id" = ?`);
const lesson = db.prepare(`SELECT "courseId", "durationSeconds" FROM "Lesson" WHERE "id" = ?`);
const enrolment = db.prepare(`SELECT 1 FROM "Enrolment" WHERE "userId" = ? AND "courseId" = ?`);
const view = db.prepare(`SELECT "startedAt" FROM "LessonView" WHERE "id" = ? AND "userId" = ? AND "lessonId" = ?`);
const clock = db.prepare(`SELECT "cursor", "version" FROM "WatchClock" WHERE "userId" = ?`);
const clockInsert = db.prepare(
  `INSERT INTO "WatchClock" ("userId", "cursor", "version") VALUES (?, ?, 0) ON CONFLICT ("userId") DO NOTHING`,
);
const clockMove = db.prepare(
  `UPDATE "WatchClock" SET "cursor" = ?, "version" = "version" + 1 WHERE "userId" = ? AND "version" = ?`,
);
const progress = db.prepare(
  `SELECT "id", "watchedIntervals", "version" FROM "LessonProgress" WHERE "userId" = ? AND "lessonId" = ?`,
);
const insert = db.prepare(
  `INSERT INTO "LessonProgress" ("id", "userId", "lessonId", "watchedIntervals", "watchedSeconds", "lastPosition", "version", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
);
const update = db.prepare(
  `UPDATE "LessonProgress" SET "watchedIntervals" = ?, "watchedSeconds" = ?, "lastPosition" = ?, "version" = "version" + 1, "updatedAt" = ? WHERE "id" = ? AND "version" = ?`,
);

let ids = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const token = /th_session=([a-z2-7]{32})/.exec(req.headers.cookie ?? "")?.[1];
    const user = token
      ? (session.get(createHash("sha256").update(token).digest("hex")) as
          { userId: string; expiresAt: string } | undefined)
      : undefined;
    if (!user || Date.parse(user.expiresAt) <= Date.now()) return void res.writeHead(401).end();
    const body = JSON.parse(Buffer.concat(chunks).toString()) as {
      viewId: string;
      lessonId: string;
      intervals: Interval[];
      position: number;
    };
    const l = lesson.get(body.lessonId) as { courseId: string; durationSeconds: number } | undefined;
    if (!l || !enrolment.get(user.userId, l.courseId)) return void res.writeHead(403).end();
    const v = view.get(body.viewId, user.userId, body.lessonId) as { startedAt: string } | undefined;
    if (!v) return void res.writeHead(422).end();
    const now = new Date().toISOString(); // the format Prisma's SQLite adapter writes
    const row = progress.get(user.userId, body.lessonId) as
      { id: string; watchedIntervals: string; version: number } | undefined;
    const before = row ? (JSON.parse(row.watchedIntervals) as Interval[]) : [];
    const merged = mergeIntervals([...before, ...body.intervals]);
    const gained = coveredSeconds(merged) - coveredSeconds(before);
    const c = clock.get(user.userId) as { cursor: string; version: number } | undefined;
    const cursor = new Date(
      Math.max(c ? Date.parse(c.cursor) : 0, Date.parse(v.startedAt)) + gained * 500,
    ).toISOString();
    if (cursor > now) return void res.writeHead(422).end();
    if (c) clockMove.run(cursor, user.userId, c.version);
    else clockInsert.run(user.userId, cursor);
    if (row) update.run(JSON.stringify(merged), coveredSeconds(merged), body.position, now, row.id, row.version);
    else
      insert.run(
        `floor${process.pid}x${ids++}`,
        user.userId,
        body.lessonId,
        JSON.stringify(merged),
        coveredSeconds(merged),
        body.position,
        now,
      );
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true }));
  });
});
server.listen(Number(process.env.PORT), () => console.log("floor ready"));
