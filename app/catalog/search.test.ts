import { describe, expect, it } from "vitest";
import { filterCatalog, foldForSearch, lengthOf, matchesTerms, queryTerms, type SearchableCourse } from "./search";
import { parseCatalogQuery } from "./search-params";

describe("foldForSearch", () => {
  it("drops tone and vowel marks, maps đ to d and lowers the case", () => {
    expect(foldForSearch("Quyền trẻ em")).toBe("quyen tre em");
    expect(foldForSearch("ĐỐI XỬ tàn bạo")).toBe("doi xu tan bao");
    expect(foldForSearch("Người khuyết tật")).toBe("nguoi khuyet tat");
    expect(foldForSearch("Ủy ban Dân tộc")).toBe("uy ban dan toc");
  });

  it("reads precomposed and decomposed Vietnamese alike", () => {
    const precomposed = "Quyền";
    const decomposed = precomposed.normalize("NFD");
    expect(decomposed).not.toBe(precomposed);
    expect(foldForSearch(decomposed)).toBe(foldForSearch(precomposed));
  });

  it("collapses white space", () => {
    expect(foldForSearch("  quyền \n\t trẻ   em ")).toBe("quyen tre em");
  });
});

describe("matching", () => {
  const text = foldForSearch("Công ước về quyền trẻ em\nBảo vệ trẻ em khỏi bạo lực");

  it("finds Vietnamese typed with or without marks, in any case", () => {
    for (const q of ["quyen tre em", "Quyền trẻ em", "QUYEN TRE EM", "quyền tre em", "bao luc"]) {
      expect(matchesTerms(text, queryTerms(q)), q).toBe(true);
    }
  });

  it("treats đ and d as the same letter both ways", () => {
    const dan = foldForSearch("Ủy ban Dân tộc; đối xử");
    expect(matchesTerms(dan, queryTerms("doi xu"))).toBe(true);
    expect(matchesTerms(dan, queryTerms("đân tộc"))).toBe(true);
  });

  it("needs every word, in any order", () => {
    expect(matchesTerms(text, queryTerms("em tre quyen"))).toBe(true);
    expect(matchesTerms(text, queryTerms("quyen phu nu"))).toBe(false);
  });

  it("matches everything for an empty query or punctuation only", () => {
    expect(queryTerms("  ")).toEqual([]);
    expect(queryTerms('"?!')).toEqual([]);
    expect(matchesTerms(text, [])).toBe(true);
  });
});

describe("lengthOf", () => {
  it("puts a course in the bucket of the minutes its card shows", () => {
    expect(lengthOf(4)).toBe("short");
    expect(lengthOf(15)).toBe("short");
    expect(lengthOf(16)).toBe("medium");
    expect(lengthOf(30)).toBe("medium");
    expect(lengthOf(31)).toBe("long");
  });
});

describe("parseCatalogQuery", () => {
  const parse = (qs: string) => parseCatalogQuery(new URLSearchParams(qs));

  it("reads the four parameters", () => {
    expect(parse("q=tre+em&convention=CRC&language=vi&length=short")).toEqual({
      query: { q: "tre em", convention: "CRC", language: "vi", length: "short" },
      ignored: [],
    });
  });

  it("takes empty values as no filter, the way a GET form sends 'all'", () => {
    expect(parse("q=&convention=&language=&length=")).toEqual({ query: {}, ignored: [] });
  });

  it("accepts a convention code in any case", () => {
    expect(parse("convention=crc").query.convention).toBe("CRC");
  });

  it("drops each bad value on its own and names it", () => {
    const { query, ignored } = parse(`q=${"a".repeat(101)}&convention=XYZ&language=<script>&length=forever`);
    expect(query).toEqual({});
    expect(ignored).toEqual(["q", "convention", "language", "length"]);
    expect(parse("q=tre&convention=XYZ")).toEqual({ query: { q: "tre" }, ignored: ["convention"] });
  });

  it("allows a query of 100 characters", () => {
    expect(parse(`q=${"a".repeat(100)}`).query.q).toHaveLength(100);
  });
});

describe("filterCatalog", () => {
  const course = (over: Partial<SearchableCourse> & { code: string }) => ({
    title: "Khóa học",
    titleEn: null,
    summary: "",
    summaryEn: null,
    language: "vi",
    totalSeconds: 600,
    lessonTitles: [],
    ...over,
  });
  const catalog = [
    {
      code: "CRC",
      nameVi: "Công ước về quyền trẻ em",
      nameEn: "Convention on the Rights of the Child",
      courses: [
        course({ code: "crc-1", title: "Nhập môn", totalSeconds: 900 }),
        course({
          code: "crc-2",
          title: "Trẻ em và mạng",
          language: "en",
          totalSeconds: 1500,
          lessonTitles: ["Đạo đức số"],
        }),
      ],
    },
    {
      code: "CAT",
      nameVi: "Công ước chống tra tấn",
      nameEn: null,
      courses: [course({ code: "cat-1", title: "Phòng ngừa", totalSeconds: 2400 })],
    },
    { code: "CRPD", nameVi: "Công ước về quyền của người khuyết tật", nameEn: null, courses: [] },
  ];
  const codes = (query: Parameters<typeof filterCatalog>[1]) =>
    filterCatalog(catalog, query).map((c) => [c.code, c.courses.map((x) => x.code)]);

  it("keeps every convention, empty ones too, when nothing is asked", () => {
    expect(filterCatalog(catalog, {})).toBe(catalog);
  });

  it("searches the convention's name, the course and its lesson titles", () => {
    expect(codes({ q: "quyen tre em" })).toEqual([["CRC", ["crc-1", "crc-2"]]]);
    expect(codes({ q: "dao duc" })).toEqual([["CRC", ["crc-2"]]]);
    expect(codes({ q: "child" })).toEqual([["CRC", ["crc-1", "crc-2"]]]);
    expect(codes({ q: "tra tan" })).toEqual([["CAT", ["cat-1"]]]);
    expect(codes({ q: "khong co dau" })).toEqual([]);
  });

  it("filters by convention, keeping one with no course yet", () => {
    expect(codes({ convention: "CRPD" })).toEqual([["CRPD", []]]);
    expect(codes({ convention: "CAT" })).toEqual([["CAT", ["cat-1"]]]);
  });

  it("filters by language and length", () => {
    expect(codes({ language: "en" })).toEqual([["CRC", ["crc-2"]]]);
    expect(codes({ length: "short" })).toEqual([["CRC", ["crc-1"]]]);
    expect(codes({ length: "medium" })).toEqual([["CRC", ["crc-2"]]]);
    expect(codes({ length: "long" })).toEqual([["CAT", ["cat-1"]]]);
    expect(codes({ convention: "CRC", length: "long" })).toEqual([]);
  });
});
