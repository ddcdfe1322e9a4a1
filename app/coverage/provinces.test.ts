import { describe, expect, it } from "vitest";
import { CURRENT_PROVINCES, matchProvince, provinceRows } from "./provinces";

describe("provinceRows", () => {
  it("has 34 current and 63 former units", () => {
    const rows = provinceRows();
    expect(rows.filter((r) => r.era === "CURRENT_34")).toHaveLength(34);
    expect(rows.filter((r) => r.era === "FORMER_63")).toHaveLength(63);
    expect(CURRENT_PROVINCES.filter((p) => p.formerNames.length === 1)).toHaveLength(11);
  });
});

describe("matchProvince", () => {
  it.each([
    ["Hà Giang", "cur-tuyen-quang", "old-ha-giang"],
    ["ha giang", "cur-tuyen-quang", "old-ha-giang"],
    ["Tỉnh Hà Giang", "cur-tuyen-quang", "old-ha-giang"],
    ["TỈNH HÀ GIANG", "cur-tuyen-quang", "old-ha-giang"],
    ["Thành phố Hồ Chí Minh", "cur-ho-chi-minh", "old-ho-chi-minh"],
    ["TP. Hồ Chí Minh", "cur-ho-chi-minh", "old-ho-chi-minh"],
    ["TP.HCM", "cur-ho-chi-minh", "old-ho-chi-minh"],
    ["tp ho chi minh", "cur-ho-chi-minh", "old-ho-chi-minh"],
    ["Ho Chi Minh City", "cur-ho-chi-minh", "old-ho-chi-minh"],
    ["Bình Dương", "cur-ho-chi-minh", "old-binh-duong"],
    ["Bà Rịa - Vũng Tàu", "cur-ho-chi-minh", "old-ba-ria-vung-tau"],
    ["Tỉnh Bà Rịa – Vũng Tàu", "cur-ho-chi-minh", "old-ba-ria-vung-tau"],
    ["Thừa Thiên Huế", "cur-hue", "old-hue"],
    ["Hanoi", "cur-ha-noi", "old-ha-noi"],
    ["  hà   nội ", "cur-ha-noi", "old-ha-noi"],
    ["Thanh Hoá", "cur-thanh-hoa", "old-thanh-hoa"],
    ["Hoà Bình", "cur-phu-tho", "old-hoa-binh"],
    ["Đắc Lắc", "cur-dak-lak", "old-dak-lak"],
    ["Thành phố Hải Phòng", "cur-hai-phong", "old-hai-phong"],
    ["Hải Dương", "cur-hai-phong", "old-hai-duong"],
    ["Quảng Nam", "cur-da-nang", "old-quang-nam"],
    ["Sóc Trăng", "cur-can-tho", "old-soc-trang"],
  ])("%s → %s", (raw, currentCode, formerCode) => {
    expect(matchProvince(raw)).toEqual({ currentCode, formerCode });
  });

  it("maps every former unit to a current one", () => {
    for (const row of provinceRows().filter((r) => r.era === "FORMER_63")) {
      expect(matchProvince(row.nameVi)?.currentCode).toBe(row.successorCode);
    }
  });

  it.each(["", "Tỉnh", "Atlantis", "Hà", "Thành phố"])("refuses %j", (raw) => {
    expect(matchProvince(raw)).toBeNull();
  });
});
