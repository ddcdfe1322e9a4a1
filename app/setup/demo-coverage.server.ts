import { hashPassword } from "~/auth/password.server";
import { db } from "~/utils/db.server";
import { isoOfDay, parseIsoDay } from "~/coverage/dates";
import { ROSTER_HEADER, TRAINING_HEADER } from "~/coverage/import-columns";
import { importNow } from "~/coverage/import-jobs.server";
import { SYSTEM_ACTOR } from "~/coverage/scope.server";
import { DEMO_PASSWORD } from "./seed.server";

// Demo coverage data for `npm start` (SEED_DEMO): a provincial coordinator
// and a roster with trainings, loaded through the same import as real files.
// Only the demo path calls this; it does nothing when the demo roster is there.

export const DEMO_PROVINCIAL_COORDINATOR = "dieuphoi.hanoi@taphuan.vn";
const MARKER = "DEMO-0001";

const PROVINCES = [
  "Hà Nội",
  "Hà Nội",
  "TP. Hà Nội",
  "Thành phố Hồ Chí Minh",
  "Bình Dương",
  "Hà Giang",
  "Tuyên Quang",
  "Thừa Thiên Huế",
  "Đà Nẵng",
  "Quảng Nam",
  "Nghệ An",
  "Cần Thơ",
];
const AGENCIES = [
  "Bộ Tư pháp",
  "Bộ Ngoại giao",
  "Bộ Công an",
  "Sở Tư pháp",
  "Sở Văn hóa, Thể thao và Du lịch",
  "Báo Nhân Dân",
  "Đài Tiếng nói Việt Nam",
  "Hội Liên hiệp Phụ nữ",
  "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
  "Hội Nông dân",
];
const GROUP_BY_AGENCY: Record<string, string[]> = {
  "Bộ Tư pháp": ["HR_WORK"],
  "Bộ Ngoại giao": ["HR_WORK", "INFO_MGMT"],
  "Bộ Công an": ["HR_WORK"],
  "Sở Tư pháp": ["HR_WORK"],
  "Sở Văn hóa, Thể thao và Du lịch": ["INFO_MGMT"],
  "Báo Nhân Dân": ["PRESS_EXTERNAL"],
  "Đài Tiếng nói Việt Nam": ["PRESS_EXTERNAL", "INFO_MGMT"],
  "Hội Liên hiệp Phụ nữ": ["SOCIOPOL_KEY"],
  "Đoàn Thanh niên Cộng sản Hồ Chí Minh": ["SOCIOPOL_KEY"],
  "Hội Nông dân": ["SOCIOPOL_KEY"],
};
const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"];
const MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh"];
const GIVEN = [
  "An",
  "Bình",
  "Chi",
  "Dũng",
  "Giang",
  "Hà",
  "Hải",
  "Hương",
  "Khánh",
  "Lan",
  "Long",
  "Mai",
  "Nam",
  "Phương",
  "Quân",
  "Sơn",
  "Trang",
  "Tuấn",
  "Vy",
  "Yến",
];
const COURSES = ["iccpr-intro", "cat-basics", "crc-basics", "cedaw-basics", "hn-workshop-2024", "press-briefing-2025"];

function generator(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** The demo roster and trainings as CSV files, the same every time. */
export function demoFiles(count = 600): { roster: string; training: string } {
  const random = generator(1079);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const dayBetween = (from: string, to: string) => {
    const a = parseIsoDay(from)!;
    return isoOfDay(a + Math.floor(random() * (parseIsoDay(to)! - a)));
  };
  const roster = [ROSTER_HEADER.join(",")];
  const training = [TRAINING_HEADER.join(",")];
  for (let i = 1; i <= count; i++) {
    const code = `DEMO-${String(i).padStart(4, "0")}`;
    const agency = pick(AGENCIES);
    const groups = [...GROUP_BY_AGENCY[agency]!];
    const joined = random() < 0.3 ? dayBetween("2023-01-01", "2025-06-30") : "";
    const left = random() < 0.06 ? dayBetween(joined || "2023-06-01", "2025-09-30") : "";
    // The demo learner (verified) is on the roster, so "this is me" shows on /my-learning.
    const email = i === 7 ? "hocvien@taphuan.vn" : random() < 0.15 ? `${code.toLowerCase()}@example.vn` : "";
    roster.push(
      [
        code,
        `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`,
        email,
        `"${agency}"`,
        pick(PROVINCES),
        groups.join(";"),
        "",
        joined,
        left,
      ].join(","),
    );
    // Different shares trained per group, so the dashboard shows every status.
    const share = { HR_WORK: 0.8, INFO_MGMT: 0.55, PRESS_EXTERNAL: 0.3, SOCIOPOL_KEY: 0.78 }[groups[0]!] ?? 0.5;
    if (random() < share)
      training.push(
        `${code},${pick(COURSES)},${dayBetween("2023-02-01", "2025-10-31")},${pick(["in_person", "imported", "online"])}`,
      );
    if (random() < 0.1) training.push(`${code},${pick(COURSES)},${dayBetween("2022-03-01", "2022-12-31")},in_person`);
  }
  return { roster: roster.join("\n"), training: training.join("\n") };
}

export async function seedDemoCoverage(log: (line: string) => void = () => {}) {
  const hanoi = await db.province.findUniqueOrThrow({ where: { code: "cur-ha-noi" }, select: { id: true } });
  await db.user.upsert({
    where: { email: DEMO_PROVINCIAL_COORDINATOR },
    create: {
      email: DEMO_PROVINCIAL_COORDINATOR,
      name: "Đỗ Thu Hà (Hà Nội)",
      role: "COORDINATOR",
      scopeProvinceId: hanoi.id,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      emailVerifiedAt: new Date(),
    },
    update: {},
  });
  if (await db.rosterPerson.findUnique({ where: { personnelCode: MARKER }, select: { id: true } })) return;
  const files = demoFiles();
  for (const [kind, text] of [
    ["ROSTER", files.roster],
    ["TRAINING", files.training],
  ] as const) {
    const outcome = await importNow(kind, {
      fileName: `demo-${kind.toLowerCase()}.csv`,
      bytes: Buffer.from(text),
      strict: false,
      actor: SYSTEM_ACTOR,
      createdById: null,
    });
    log(`      demo ${kind.toLowerCase()}: ${outcome.counts.created} rows`);
  }
}
