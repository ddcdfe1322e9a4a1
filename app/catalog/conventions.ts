// The seven UN core conventions of Decision 1079/QĐ-TTg (Section IV.1), with
// the bodies that lead communication on each (Section VII). Lead bodies are
// data with a history: ministries were merged on 1 March 2025, and an admin
// can record later changes. The seed loads these rows once; the database is
// the source afterwards.

export type ConventionSeed = {
  code: string;
  nameVi: string;
  nameEn: string;
  adoptedYear: number;
  vietnamPartyYear: number;
  vietnamPartyMode: "accession" | "ratification";
  leadBodies: { agency: string; isCoLead?: boolean; validFrom: string; validTo?: string; source: string }[];
};

export type AgencySeed = {
  code: string;
  nameVi: string;
  nameEn: string;
  kind: "MINISTRY" | "PRESS" | "SOCIOPOLITICAL" | "OTHER";
  validTo?: string;
  successor?: string;
};

const DECISION = "Quyết định 1079/QĐ-TTg (14/9/2022), mục VII";
const RESTRUCTURE = "Cơ cấu tổ chức Chính phủ từ 1/3/2025 (Nghị quyết 176/2025/QH15)";
const DECISION_DATE = "2022-09-14";
const MERGER_DATE = "2025-03-01";

export const AGENCIES: AgencySeed[] = [
  { code: "MOJ", nameVi: "Bộ Tư pháp", nameEn: "Ministry of Justice", kind: "MINISTRY" },
  { code: "MPS", nameVi: "Bộ Công an", nameEn: "Ministry of Public Security", kind: "MINISTRY" },
  { code: "MOFA", nameVi: "Bộ Ngoại giao", nameEn: "Ministry of Foreign Affairs", kind: "MINISTRY" },
  {
    code: "MPI",
    nameVi: "Bộ Kế hoạch và Đầu tư",
    nameEn: "Ministry of Planning and Investment",
    kind: "MINISTRY",
    validTo: MERGER_DATE,
    successor: "MOF",
  },
  { code: "MOF", nameVi: "Bộ Tài chính", nameEn: "Ministry of Finance", kind: "MINISTRY" },
  {
    code: "MOLISA",
    nameVi: "Bộ Lao động - Thương binh và Xã hội",
    nameEn: "Ministry of Labour, Invalids and Social Affairs",
    kind: "MINISTRY",
    validTo: MERGER_DATE,
    successor: "MOHA",
  },
  { code: "MOHA", nameVi: "Bộ Nội vụ", nameEn: "Ministry of Home Affairs", kind: "MINISTRY" },
  { code: "MOH", nameVi: "Bộ Y tế", nameEn: "Ministry of Health", kind: "MINISTRY" },
  {
    code: "CEMA",
    nameVi: "Ủy ban Dân tộc",
    nameEn: "Committee for Ethnic Minority Affairs",
    kind: "MINISTRY",
    validTo: MERGER_DATE,
    successor: "MERA",
  },
  {
    code: "MERA",
    nameVi: "Bộ Dân tộc và Tôn giáo",
    nameEn: "Ministry of Ethnic and Religious Affairs",
    kind: "MINISTRY",
  },
  {
    code: "MIC",
    nameVi: "Bộ Thông tin và Truyền thông",
    nameEn: "Ministry of Information and Communications",
    kind: "MINISTRY",
    validTo: MERGER_DATE,
    successor: "MOST",
  },
  { code: "MOST", nameVi: "Bộ Khoa học và Công nghệ", nameEn: "Ministry of Science and Technology", kind: "MINISTRY" },
  {
    code: "MOCST",
    nameVi: "Bộ Văn hóa, Thể thao và Du lịch",
    nameEn: "Ministry of Culture, Sports and Tourism",
    kind: "MINISTRY",
  },
];

export const CONVENTIONS: ConventionSeed[] = [
  {
    code: "ICCPR",
    nameVi: "Công ước quốc tế về các quyền dân sự và chính trị",
    nameEn: "International Covenant on Civil and Political Rights",
    adoptedYear: 1966,
    vietnamPartyYear: 1982,
    vietnamPartyMode: "accession",
    leadBodies: [{ agency: "MOJ", validFrom: DECISION_DATE, source: DECISION }],
  },
  {
    code: "ICESCR",
    nameVi: "Công ước quốc tế về các quyền kinh tế, xã hội và văn hóa",
    nameEn: "International Covenant on Economic, Social and Cultural Rights",
    adoptedYear: 1966,
    vietnamPartyYear: 1982,
    vietnamPartyMode: "accession",
    leadBodies: [
      { agency: "MPI", validFrom: DECISION_DATE, validTo: MERGER_DATE, source: DECISION },
      { agency: "MOF", validFrom: MERGER_DATE, source: RESTRUCTURE },
    ],
  },
  {
    code: "CEDAW",
    nameVi: "Công ước về xóa bỏ mọi hình thức phân biệt đối xử với phụ nữ",
    nameEn: "Convention on the Elimination of All Forms of Discrimination against Women",
    adoptedYear: 1979,
    vietnamPartyYear: 1982,
    vietnamPartyMode: "ratification",
    leadBodies: [
      { agency: "MOLISA", validFrom: DECISION_DATE, validTo: MERGER_DATE, source: DECISION },
      { agency: "MOHA", validFrom: MERGER_DATE, source: RESTRUCTURE },
    ],
  },
  {
    code: "ICERD",
    nameVi: "Công ước quốc tế về xóa bỏ mọi hình thức phân biệt chủng tộc",
    nameEn: "International Convention on the Elimination of All Forms of Racial Discrimination",
    adoptedYear: 1965,
    vietnamPartyYear: 1982,
    vietnamPartyMode: "accession",
    leadBodies: [
      { agency: "CEMA", validFrom: DECISION_DATE, validTo: MERGER_DATE, source: DECISION },
      { agency: "MERA", validFrom: MERGER_DATE, source: RESTRUCTURE },
    ],
  },
  {
    code: "CRC",
    nameVi: "Công ước về quyền trẻ em",
    nameEn: "Convention on the Rights of the Child",
    adoptedYear: 1989,
    vietnamPartyYear: 1990,
    vietnamPartyMode: "ratification",
    leadBodies: [
      { agency: "MOLISA", validFrom: DECISION_DATE, validTo: MERGER_DATE, source: DECISION },
      { agency: "MOH", validFrom: MERGER_DATE, source: RESTRUCTURE },
    ],
  },
  {
    code: "CRPD",
    nameVi: "Công ước về quyền của người khuyết tật",
    nameEn: "Convention on the Rights of Persons with Disabilities",
    adoptedYear: 2006,
    vietnamPartyYear: 2015,
    vietnamPartyMode: "ratification",
    leadBodies: [
      { agency: "MOLISA", validFrom: DECISION_DATE, validTo: MERGER_DATE, source: DECISION },
      { agency: "MOH", validFrom: MERGER_DATE, source: RESTRUCTURE },
    ],
  },
  {
    code: "CAT",
    nameVi:
      "Công ước chống tra tấn và các hình thức đối xử hoặc trừng phạt tàn bạo, vô nhân đạo hoặc hạ nhục con người",
    nameEn: "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
    adoptedYear: 1984,
    vietnamPartyYear: 2015,
    vietnamPartyMode: "ratification",
    leadBodies: [
      { agency: "MOJ", validFrom: DECISION_DATE, source: DECISION },
      { agency: "MPS", isCoLead: true, validFrom: DECISION_DATE, source: DECISION },
    ],
  },
];

// Objective II.2: groups to be trained by 2028, and the share of each.
export const TARGET_GROUPS = [
  {
    code: "HR_WORK",
    nameVi: "Cán bộ làm công tác quyền con người",
    nameEn: "Officials engaged in human-rights work",
    targetPercent: 100,
  },
  {
    code: "INFO_MGMT",
    nameVi: "Cán bộ làm công tác quản lý thông tin, truyền thông",
    nameEn: "Officials managing information and communications",
    targetPercent: 100,
  },
  {
    code: "PRESS_EXTERNAL",
    nameVi: "Nhân sự tham gia công tác thông tin đối ngoại của các cơ quan báo chí",
    nameEn: "Press-agency personnel in external-information work",
    targetPercent: 100,
  },
  {
    code: "SOCIOPOL_KEY",
    nameVi: "Cán bộ chủ chốt của các tổ chức chính trị - xã hội ở cấp trung ương và cấp tỉnh",
    nameEn: "Key officials of central- and provincial-level socio-political organisations",
    targetPercent: 70,
  },
] as const;

export const SCHEME_START = "2023-01-01";
export const SCHEME_DEADLINE = "2028-12-31";
