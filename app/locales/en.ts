// The interface in English, every namespace: the client loads only the page's language (app/locales/load.ts).
import enAccount from "~/locales/en/account.json";
import enAdmin from "~/locales/en/admin.json";
import enCatalog from "~/locales/en/catalog.json";
import enCertificates from "~/locales/en/certificates.json";
import enCommon from "~/locales/en/common.json";
import enCoverage from "~/locales/en/coverage.json";
import enLearn from "~/locales/en/learn.json";
import enOperations from "~/locales/en/operations.json";
import enPeople from "~/locales/en/people.json";
import enTeach from "~/locales/en/teach.json";

const resources = {
  common: enCommon,
  account: enAccount,
  admin: enAdmin,
  catalog: enCatalog,
  certificates: enCertificates,
  learn: enLearn,
  teach: enTeach,
  coverage: enCoverage,
  operations: enOperations,
  people: enPeople,
} as const;

export default resources;
