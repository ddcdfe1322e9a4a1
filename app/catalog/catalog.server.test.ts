import { describe, expect, it } from "vitest";
import { seedReferenceData } from "~/setup/seed.server";
import { createPublishedCourse } from "../../tests/helpers/fixtures";
import { listCatalog } from "./catalog.server";

describe("listCatalog", () => {
  it("lists the seven conventions in order, with lead bodies in force and the Decision's where they changed", async () => {
    await seedReferenceData();
    const catalog = await listCatalog(new Date("2026-01-01T00:00:00Z"));
    expect(catalog.map((c) => c.code)).toEqual(["ICCPR", "ICESCR", "CEDAW", "ICERD", "CRC", "CRPD", "CAT"]);
    const iccpr = catalog.find((c) => c.code === "ICCPR")!;
    expect(iccpr.leadBodies.map((l) => l.agency.nameEn)).toEqual(["Ministry of Justice"]);
    expect(iccpr.decisionLeadBodies).toEqual([]);
    const icescr = catalog.find((c) => c.code === "ICESCR")!;
    expect(icescr.leadBodies.map((l) => l.agency.nameEn)).toEqual(["Ministry of Finance"]);
    expect(icescr.decisionLeadBodies.map((l) => l.agency.nameEn)).toEqual(["Ministry of Planning and Investment"]);
    const cat = catalog.find((c) => c.code === "CAT")!;
    expect(cat.leadBodies.map((l) => [l.agency.nameEn, l.isCoLead])).toEqual([
      ["Ministry of Justice", false],
      ["Ministry of Public Security", true],
    ]);
    // Before the 2025 merger the Decision's bodies are the ones in force.
    const before = await listCatalog(new Date("2024-06-01T00:00:00Z"));
    expect(before.find((c) => c.code === "CRC")!.leadBodies.map((l) => l.agency.nameEn)).toEqual([
      "Ministry of Labour, Invalids and Social Affairs",
    ]);
  });

  it("shows published courses only", async () => {
    const published = await createPublishedCourse();
    const draft = await createPublishedCourse({ status: "DRAFT" });
    const codes = (await listCatalog()).flatMap((c) => c.courses.map((course) => course.code));
    expect(codes).toContain(published.code);
    expect(codes).not.toContain(draft.code);
  });
});
