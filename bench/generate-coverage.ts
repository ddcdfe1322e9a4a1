// Data for the coverage benchmark (bench/coverage.ts): learner accounts,
// lesson progress and course completions written straight into the
// database, and a roster plus in-person trainings written as CSV files for
// the import to read, the way a coordinator's files would arrive.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { provinceRows } from "~/coverage/provinces";
import type { Sql } from "~/db/sql.server";

export type Scale = { persons: number; accounts: number; progress: number };

const COURSES = 20;
const LESSONS_PER_COURSE = 4;

/** A small deterministic generator, so two runs build the same data. */
export function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

export const userId = (n: number) => `bench-u${String(n).padStart(8, "0")}`;
export const userEmail = (n: number) => `u${n}@bench.vn`;

/** 20 published courses of 4 lessons, as the catalog would hold them. */
export async function generateCatalog(sql: Sql): Promise<{ courseIds: string[]; lessonIds: string[] }> {
  const convention = await sql.first(sql.db.selectFrom("Convention").select("id").orderBy("position").limit(1));
  const now = new Date();
  const courseIds = Array.from({ length: COURSES }, (_, c) => `bench-c${c}`);
  const lessonIds = courseIds.flatMap((courseId) =>
    Array.from({ length: LESSONS_PER_COURSE }, (_, l) => `${courseId}-l${l}`),
  );
  await sql.insertMany(
    "Course",
    (["id", "code", "conventionId", "language", "title", "summary", "updatedAt"] as const).map((name) => ({
      name,
      type: name === "updatedAt" ? ("timestamp" as const) : ("text" as const),
    })),
    courseIds.map((id, c) => [id, `bench-course-${c}`, convention!.id, "vi", `Khóa ${c}`, "…", now]),
  );
  await sql.insertMany(
    "Lesson",
    [
      { name: "id", type: "text" },
      { name: "courseId", type: "text" },
      { name: "slug", type: "text" },
      { name: "position", type: "int" },
      { name: "title", type: "text" },
      { name: "language", type: "text" },
      { name: "durationSeconds", type: "int" },
      { name: "updatedAt", type: "timestamp" },
    ],
    lessonIds.map((id, i) => [
      id,
      courseIds[Math.floor(i / LESSONS_PER_COURSE)],
      `bai-${i % LESSONS_PER_COURSE}`,
      i % LESSONS_PER_COURSE,
      `Bài ${i}`,
      "vi",
      240,
      now,
    ]),
  );
  return { courseIds, lessonIds };
}

const CHUNK = 100_000;

/**
 * Accounts, and for each account `progress / accounts` lesson-progress rows:
 * two whole courses (so a completion) and partial lessons of others.
 */
export async function generateLearning(
  sql: Sql,
  scale: Scale,
  catalog: { courseIds: string[]; lessonIds: string[] },
  log: (line: string) => void,
) {
  const random = prng(42);
  const perUser = Math.max(1, Math.round(scale.progress / scale.accounts));
  const base = Date.UTC(2023, 1, 1);
  const span = Date.UTC(2026, 9, 1) - base;
  let progressRows = 0;
  let completions = 0;
  for (let start = 0; start < scale.accounts; start += CHUNK) {
    const end = Math.min(scale.accounts, start + CHUNK);
    const users: unknown[][] = [];
    const progress: unknown[][] = [];
    const done: unknown[][] = [];
    for (let n = start; n < end; n++) {
      const created = new Date(base + Math.floor(random() * span));
      users.push([userId(n), userEmail(n), `Học viên ${n}`, "bench", created, created]);
      // Lessons of two courses in full, then single lessons of the next courses.
      const first = n % COURSES;
      const second = (first + 1 + (n % (COURSES - 1))) % COURSES;
      const lessons = [
        ...catalog.lessonIds.slice(first * LESSONS_PER_COURSE, (first + 1) * LESSONS_PER_COURSE),
        ...catalog.lessonIds.slice(second * LESSONS_PER_COURSE, (second + 1) * LESSONS_PER_COURSE),
      ];
      for (let k = 1; lessons.length < perUser && k < COURSES; k++) {
        const course = (second + k) % COURSES;
        if (course !== first) lessons.push(catalog.lessonIds[course * LESSONS_PER_COURSE]!);
      }
      const finished = new Date(created.getTime() + Math.floor(random() * 30 * 86_400_000));
      lessons.slice(0, perUser).forEach((lessonId, i) => {
        const complete = i < 2 * LESSONS_PER_COURSE;
        progress.push([
          `${userId(n)}-${lessonId}`,
          userId(n),
          lessonId,
          complete ? "[[0,240]]" : "[[0,60]]",
          complete ? 240 : 60,
          complete ? 240 : 60,
          complete ? finished : null,
          finished,
        ]);
      });
      // A third of the accounts finish their first course.
      if (n % 3 === 0) {
        done.push([`${userId(n)}-done`, userId(n), catalog.courseIds[first], finished, `BENCH-${n}`]);
      }
    }
    await sql.insertMany(
      "User",
      (["id", "email", "name", "passwordHash", "createdAt", "updatedAt"] as const).map((name) => ({
        name,
        type: name.endsWith("At") ? ("timestamp" as const) : ("text" as const),
      })),
      users,
    );
    await sql.insertMany(
      "LessonProgress",
      [
        { name: "id", type: "text" },
        { name: "userId", type: "text" },
        { name: "lessonId", type: "text" },
        { name: "watchedIntervals", type: "text" },
        { name: "watchedSeconds", type: "int" },
        { name: "lastPosition", type: "int" },
        { name: "completedAt", type: "timestamp" },
        { name: "updatedAt", type: "timestamp" },
      ],
      progress,
    );
    await sql.insertMany(
      "CourseCompletion",
      [
        { name: "id", type: "text" },
        { name: "userId", type: "text" },
        { name: "courseId", type: "text" },
        { name: "completedAt", type: "timestamp" },
        { name: "certificateCode", type: "text" },
      ],
      done,
    );
    progressRows += progress.length;
    completions += done.length;
    log(
      `  accounts ${end.toLocaleString("en")}/${scale.accounts.toLocaleString("en")}, progress rows ${progressRows.toLocaleString("en")}`,
    );
  }
  return { progressRows, completions };
}

const AGENCY_KINDS = [
  "Sở Tư pháp",
  "Sở Văn hóa, Thể thao và Du lịch",
  "Sở Khoa học và Công nghệ",
  "Sở Nội vụ",
  "Sở Ngoại vụ",
  "Công an tỉnh",
  "Báo",
  "Đài Phát thanh và Truyền hình",
  "Hội Liên hiệp Phụ nữ",
  "Tỉnh đoàn",
  "Hội Nông dân",
  "Hội Cựu chiến binh",
  "Liên đoàn Lao động",
  "Ủy ban Mặt trận Tổ quốc",
  "Ban Tuyên giáo",
  "Văn phòng Ủy ban nhân dân",
];
const GROUPS_BY_KIND = (kind: number) =>
  kind < 6
    ? ["HR_WORK"]
    : kind < 8
      ? ["PRESS_EXTERNAL", "INFO_MGMT"]
      : kind < 14
        ? ["SOCIOPOL_KEY"]
        : ["INFO_MGMT", "HR_WORK"];

/**
 * The roster as a CSV file: `persons` rows over all 63 former province names
 * (in several spellings), 2,000-odd agencies, one or two groups each. Three
 * in five people carry the email of a learner account; the import does not
 * link them (only a person's own confirmation does), it only stores the email.
 */
export async function writeRosterCsv(file: string, scale: Scale) {
  const random = prng(1079);
  const former = provinceRows().filter((r) => r.era === "FORMER_63");
  const spellings = (name: string) => [
    name,
    `Tỉnh ${name}`,
    name
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D"),
  ];
  const out = createWriteStream(file);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  await write("personnel_code,full_name,email,agency,province,target_groups,position,joined_on,left_on");
  const linkedEvery = Math.max(1, Math.floor(scale.accounts / scale.persons));
  for (let i = 0; i < scale.persons; i++) {
    const province = former[Math.floor(random() * former.length)]!;
    const kind = Math.floor(random() * AGENCY_KINDS.length);
    const agency = `${AGENCY_KINDS[kind]} ${province.nameVi}`;
    const groups = GROUPS_BY_KIND(kind).slice(0, random() < 0.25 ? 2 : 1);
    const email = random() < 0.6 ? userEmail(i * linkedEvery) : "";
    const joined =
      random() < 0.3
        ? new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 6 * 365) * 86_400_000).toISOString().slice(0, 10)
        : "";
    const left =
      random() < 0.05
        ? new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000).toISOString().slice(0, 10)
        : "";
    const spelling = spellings(province.nameVi)[Math.floor(random() * 3)]!;
    await write(
      `NS${String(i).padStart(7, "0")},Cán bộ ${i},${email},"${agency}","${spelling}",${groups.join(";")},,${joined},${left}`,
    );
  }
  out.end();
  await once(out, "finish");
}

/** In-person trainings for a share of the roster, as the training import reads them. */
export async function writeTrainingCsv(file: string, scale: Scale, rows: number) {
  const random = prng(7);
  const out = createWriteStream(file);
  out.write("personnel_code,course_code,completed_on,mode\n");
  for (let i = 0; i < rows; i++) {
    const person = Math.floor(random() * scale.persons);
    const day = new Date(Date.UTC(2022, 6, 1) + Math.floor(random() * 4 * 365) * 86_400_000).toISOString().slice(0, 10);
    if (!out.write(`NS${String(person).padStart(7, "0")},hoi-nghi-${Math.floor(random() * 40)},${day},in_person\n`))
      await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
