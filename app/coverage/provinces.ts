// Vietnam's provincial-level units. The Decision (2022) names 63; since
// 1 July 2025 (Resolution 202/2025/QH15) there are 34. Each current unit lists
// the former units it was formed from (an unchanged unit lists itself). This
// is the one source for both lists and for the mapping between them.

export type CurrentProvince = {
  nameVi: string;
  nameEn: string;
  isCity: boolean;
  formerNames: string[];
};

export const CURRENT_PROVINCES: CurrentProvince[] = [
  { nameVi: "Hà Nội", nameEn: "Hanoi", isCity: true, formerNames: ["Hà Nội"] },
  { nameVi: "Huế", nameEn: "Hue", isCity: true, formerNames: ["Huế"] },
  { nameVi: "Lai Châu", nameEn: "Lai Chau", isCity: false, formerNames: ["Lai Châu"] },
  { nameVi: "Điện Biên", nameEn: "Dien Bien", isCity: false, formerNames: ["Điện Biên"] },
  { nameVi: "Sơn La", nameEn: "Son La", isCity: false, formerNames: ["Sơn La"] },
  { nameVi: "Lạng Sơn", nameEn: "Lang Son", isCity: false, formerNames: ["Lạng Sơn"] },
  { nameVi: "Quảng Ninh", nameEn: "Quang Ninh", isCity: false, formerNames: ["Quảng Ninh"] },
  { nameVi: "Thanh Hóa", nameEn: "Thanh Hoa", isCity: false, formerNames: ["Thanh Hóa"] },
  { nameVi: "Nghệ An", nameEn: "Nghe An", isCity: false, formerNames: ["Nghệ An"] },
  { nameVi: "Hà Tĩnh", nameEn: "Ha Tinh", isCity: false, formerNames: ["Hà Tĩnh"] },
  { nameVi: "Cao Bằng", nameEn: "Cao Bang", isCity: false, formerNames: ["Cao Bằng"] },
  { nameVi: "Tuyên Quang", nameEn: "Tuyen Quang", isCity: false, formerNames: ["Tuyên Quang", "Hà Giang"] },
  { nameVi: "Lào Cai", nameEn: "Lao Cai", isCity: false, formerNames: ["Lào Cai", "Yên Bái"] },
  { nameVi: "Thái Nguyên", nameEn: "Thai Nguyen", isCity: false, formerNames: ["Thái Nguyên", "Bắc Kạn"] },
  { nameVi: "Phú Thọ", nameEn: "Phu Tho", isCity: false, formerNames: ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"] },
  { nameVi: "Bắc Ninh", nameEn: "Bac Ninh", isCity: false, formerNames: ["Bắc Ninh", "Bắc Giang"] },
  { nameVi: "Hưng Yên", nameEn: "Hung Yen", isCity: false, formerNames: ["Hưng Yên", "Thái Bình"] },
  { nameVi: "Ninh Bình", nameEn: "Ninh Binh", isCity: false, formerNames: ["Ninh Bình", "Hà Nam", "Nam Định"] },
  { nameVi: "Quảng Trị", nameEn: "Quang Tri", isCity: false, formerNames: ["Quảng Trị", "Quảng Bình"] },
  { nameVi: "Quảng Ngãi", nameEn: "Quang Ngai", isCity: false, formerNames: ["Quảng Ngãi", "Kon Tum"] },
  { nameVi: "Gia Lai", nameEn: "Gia Lai", isCity: false, formerNames: ["Gia Lai", "Bình Định"] },
  { nameVi: "Khánh Hòa", nameEn: "Khanh Hoa", isCity: false, formerNames: ["Khánh Hòa", "Ninh Thuận"] },
  { nameVi: "Lâm Đồng", nameEn: "Lam Dong", isCity: false, formerNames: ["Lâm Đồng", "Đắk Nông", "Bình Thuận"] },
  { nameVi: "Đắk Lắk", nameEn: "Dak Lak", isCity: false, formerNames: ["Đắk Lắk", "Phú Yên"] },
  { nameVi: "Đồng Nai", nameEn: "Dong Nai", isCity: false, formerNames: ["Đồng Nai", "Bình Phước"] },
  { nameVi: "Tây Ninh", nameEn: "Tay Ninh", isCity: false, formerNames: ["Tây Ninh", "Long An"] },
  { nameVi: "Vĩnh Long", nameEn: "Vinh Long", isCity: false, formerNames: ["Vĩnh Long", "Bến Tre", "Trà Vinh"] },
  { nameVi: "Đồng Tháp", nameEn: "Dong Thap", isCity: false, formerNames: ["Đồng Tháp", "Tiền Giang"] },
  { nameVi: "Cà Mau", nameEn: "Ca Mau", isCity: false, formerNames: ["Cà Mau", "Bạc Liêu"] },
  { nameVi: "An Giang", nameEn: "An Giang", isCity: false, formerNames: ["An Giang", "Kiên Giang"] },
  { nameVi: "Hải Phòng", nameEn: "Hai Phong", isCity: true, formerNames: ["Hải Phòng", "Hải Dương"] },
  { nameVi: "Đà Nẵng", nameEn: "Da Nang", isCity: true, formerNames: ["Đà Nẵng", "Quảng Nam"] },
  {
    nameVi: "Hồ Chí Minh",
    nameEn: "Ho Chi Minh City",
    isCity: true,
    formerNames: ["Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu"],
  },
  { nameVi: "Cần Thơ", nameEn: "Can Tho", isCity: true, formerNames: ["Cần Thơ", "Sóc Trăng", "Hậu Giang"] },
];

// Centrally run cities before 1 July 2025 (Huế since 1 January 2025).
const FORMER_CITIES = new Set(["Hà Nội", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ", "Huế"]);

// Other names rosters use for a former unit.
export const FORMER_ALIASES: Record<string, string[]> = {
  Huế: ["Thừa Thiên Huế", "Thừa Thiên - Huế"],
  "Hồ Chí Minh": ["Sài Gòn", "HCM", "HCMC", "TPHCM"],
  "Bà Rịa – Vũng Tàu": ["Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu", "BR-VT"],
  "Đắk Lắk": ["Đắc Lắc", "Daklak"],
  "Đắk Nông": ["Đắc Nông", "Daknong"],
};

/** Lower-case ASCII with dashes: "Bà Rịa – Vũng Tàu" -> "ba-ria-vung-tau". */
export function asciiSlug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export type ProvinceRow = {
  code: string;
  era: "FORMER_63" | "CURRENT_34";
  nameVi: string;
  nameEn: string;
  isCity: boolean;
  successorCode: string | null;
};

/** Both lists as rows: 34 current units, then 63 former units pointing at their successor. */
export function provinceRows(): ProvinceRow[] {
  const current = CURRENT_PROVINCES.map((p) => ({
    code: `cur-${asciiSlug(p.nameVi)}`,
    era: "CURRENT_34" as const,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    isCity: p.isCity,
    successorCode: null,
  }));
  const former = CURRENT_PROVINCES.flatMap((p) =>
    p.formerNames.map((name) => ({
      code: `old-${asciiSlug(name)}`,
      era: "FORMER_63" as const,
      nameVi: name,
      nameEn: name === p.nameVi ? p.nameEn : asciiTitle(name),
      isCity: FORMER_CITIES.has(name),
      successorCode: `cur-${asciiSlug(p.nameVi)}`,
    })),
  );
  return [...current, ...former];
}

function asciiTitle(name: string): string {
  return asciiSlug(name)
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

export type ProvinceMatch = { currentCode: string; formerCode: string };

// Prefixes rosters put before a unit's name, as ASCII tokens.
const PREFIX_TOKENS: string[][] = [["thanh", "pho"], ["t", "p"], ["tp"], ["tinh"]];

/**
 * The comparison key of a province name: ASCII, lower case, without an
 * administrative prefix and without separators, so "TP. Hồ Chí Minh",
 * "Thanh pho Ho Chi Minh" and "hochiminh" meet.
 */
export function provinceKey(raw: string): string {
  let tokens = asciiSlug(raw).split("-").filter(Boolean);
  const prefix = PREFIX_TOKENS.find((p) => tokens.length > p.length && p.every((t, i) => tokens[i] === t));
  if (prefix) tokens = tokens.slice(prefix.length);
  return tokens.join("");
}

let lookup: Map<string, ProvinceMatch> | undefined;

function provinceLookup(): Map<string, ProvinceMatch> {
  if (lookup) return lookup;
  const map = new Map<string, ProvinceMatch>();
  const add = (name: string, match: ProvinceMatch) => {
    const key = provinceKey(name);
    const known = map.get(key);
    if (known && known.formerCode !== match.formerCode)
      throw new Error(`Province names "${name}" and ${known.formerCode} share the key ${key}`);
    map.set(key, match);
  };
  for (const row of provinceRows()) {
    if (row.era !== "FORMER_63") continue;
    const match = { currentCode: row.successorCode!, formerCode: row.code };
    add(row.nameVi, match);
    add(row.nameEn, match);
    for (const alias of FORMER_ALIASES[row.nameVi] ?? []) add(alias, match);
  }
  // A current unit's name is also the name of the former unit it grew from;
  // its English name may differ ("Ho Chi Minh City").
  for (const current of CURRENT_PROVINCES) {
    const code = `cur-${asciiSlug(current.nameVi)}`;
    add(current.nameEn, { currentCode: code, formerCode: `old-${asciiSlug(current.nameVi)}` });
  }
  lookup = map;
  return map;
}

/**
 * Finds the unit a roster names: any of the 34 current or 63 former names,
 * with or without diacritics or a prefix. A former name maps to the current
 * unit it became part of. A current name is read as the former unit of the
 * same name, the only reading a single name allows.
 */
export function matchProvince(raw: string): ProvinceMatch | null {
  const key = provinceKey(raw);
  return key ? (provinceLookup().get(key) ?? null) : null;
}
