// The catalog's search and filters, through the route's loader with real
// query strings: Vietnamese found with or without marks on either database,
// and a bad value in a shared link never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "~/routes/_index";
import { seedReferenceData } from "~/setup/seed.server";
import { db } from "~/utils/db.server";

async function publish(
  conventionCode: string,
  course: { code: string; title: string; language?: string; lessons: [string, number][] },
) {
  const convention = await db.convention.findUniqueOrThrow({ where: { code: conventionCode } });
  await db.course.create({
    data: {
      code: course.code,
      conventionId: convention.id,
      language: course.language ?? "vi",
      title: course.title,
      summary: "Tóm tắt khóa học",
      status: "PUBLISHED",
      publishedAt: new Date(),
      lessons: {
        create: course.lessons.map(([title, durationSeconds], i) => ({
          slug: `bai-${i + 1}`,
          position: i,
          title,
          language: course.language ?? "vi",
          durationSeconds,
        })),
      },
    },
  });
}

async function search(qs: string) {
  const data = await loader({ request: new Request(`http://localhost/${qs}`), params: {}, context: {} });
  return { ...data, codes: data.conventions.flatMap((c) => c.courses.map((course) => course.code)) };
}

beforeAll(async () => {
  await seedReferenceData();
  await publish("CRC", {
    code: "tre-em",
    title: "Quyền trẻ em trong gia đình",
    lessons: [
      ["Đạo đức gia đình", 240],
      ["Lắng nghe", 240],
    ],
  });
  await publish("CAT", {
    code: "tra-tan",
    title: "Phòng ngừa tra tấn",
    lessons: Array.from({ length: 8 }, (_, i) => [`Bài ${i + 1}`, 300] as [string, number]),
  });
  await publish("CEDAW", { code: "phu-nu", title: "Women at work", language: "en", lessons: [["Equal pay", 1200]] });
  // A draft is never found, whatever the query.
  await db.course.create({
    data: {
      code: "nhap",
      conventionId: (await db.convention.findUniqueOrThrow({ where: { code: "CRC" } })).id,
      language: "vi",
      title: "Quyền trẻ em (nháp)",
      summary: "",
    },
  });
});

describe("the catalog loader", () => {
  it("lists every convention and every published course without a query", async () => {
    const all = await search("");
    expect(all.conventions).toHaveLength(7);
    expect(all.codes.sort()).toEqual(["phu-nu", "tra-tan", "tre-em"]);
    expect(all.courseCount).toBe(3);
    expect(all.choices.conventions).toHaveLength(7);
    expect(all.choices.languages).toEqual(["en", "vi"]);
    expect(all.ignored).toEqual([]);
  });

  it("finds Vietnamese typed without marks, in any case, in titles and lesson titles", async () => {
    expect((await search("?q=quyen+tre+em")).codes).toEqual(["tre-em"]);
    expect((await search("?q=QUYỀN%20TRẺ")).codes).toEqual(["tre-em"]);
    expect((await search("?q=dao+duc")).codes).toEqual(["tre-em"]);
    expect((await search("?q=%C4%91%E1%BA%A1o+%C4%91%E1%BB%A9c")).codes).toEqual(["tre-em"]); // "đạo đức"
    expect((await search("?q=Lang+NGHE")).codes).toEqual(["tre-em"]);
    expect((await search("?q=tra+tan")).codes).toEqual(["tra-tan"]);
    // The convention's own name is searched too.
    expect((await search("?q=phan+biet+doi+xu+voi+phu+nu")).codes).toEqual(["phu-nu"]);
  });

  it("filters by convention, language and length, and combines them", async () => {
    expect((await search("?convention=CAT")).codes).toEqual(["tra-tan"]);
    expect((await search("?language=en")).codes).toEqual(["phu-nu"]);
    expect((await search("?length=short")).codes).toEqual(["tre-em"]);
    expect((await search("?length=medium")).codes).toEqual(["phu-nu"]);
    expect((await search("?length=long")).codes).toEqual(["tra-tan"]);
    expect((await search("?q=quyen&convention=CAT")).codes).toEqual([]);
    const none = await search("?q=khong+ton+tai");
    expect(none.conventions).toEqual([]);
    expect(none.courseCount).toBe(0);
  });

  it("ignores bad values and says so, keeping the good ones; never a 500", async () => {
    const bad = await search(`?q=tra+tan&convention=NOPE&language=xx&length=9999`);
    expect(bad.codes).toEqual(["tra-tan"]);
    expect(bad.ignored.sort()).toEqual(["convention", "language", "length"]);
    expect(bad.query).toEqual({ q: "tra tan" });
    const long = await search(`?q=${"x".repeat(5000)}`);
    expect(long.ignored).toEqual(["q"]);
    expect(long.courseCount).toBe(3);
    const odd = await search("?q=%00%EF%BF%BD&convention=&length=&language=%27%3B--");
    expect(odd.ignored).toEqual(["language"]);
    expect(odd.courseCount).toBe(0);
  });
});
