// The interface in Vietnamese, every namespace: the client loads only the page's language (app/locales/load.ts).
import viAccount from "~/locales/vi/account.json";
import viAdmin from "~/locales/vi/admin.json";
import viCatalog from "~/locales/vi/catalog.json";
import viCertificates from "~/locales/vi/certificates.json";
import viCommon from "~/locales/vi/common.json";
import viCoverage from "~/locales/vi/coverage.json";
import viLearn from "~/locales/vi/learn.json";
import viOperations from "~/locales/vi/operations.json";
import viPeople from "~/locales/vi/people.json";
import viTeach from "~/locales/vi/teach.json";

const resources = {
  common: viCommon,
  account: viAccount,
  admin: viAdmin,
  catalog: viCatalog,
  certificates: viCertificates,
  learn: viLearn,
  teach: viTeach,
  coverage: viCoverage,
  operations: viOperations,
  people: viPeople,
} as const;

export default resources;
