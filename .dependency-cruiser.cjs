// Module boundaries, checked by `npm run lint:boundaries` (and so by `npm test`).
//
//   routes, root, entry.*  →  domains  →  utils (with app/i18n.ts, i18next.server.ts, load-context.ts)
//   components             →  domains' pure modules, utils
//
// Between domain folders only the arrows in MAY_USE are allowed; they form no
// cycle (checked below), so no two domains depend on each other. setup (start-up,
// seed data, background jobs) may use every domain, and none may use setup.
//
// KNOWN_EXCEPTIONS are the imports that break these rules today. The list may
// only shrink: an exception whose import is gone fails tests/integration/boundaries.test.ts.

/** @type {Record<string, string[]>} for each domain, the other domains it may import */
const MAY_USE = {
  jobs: [],
  email: ["jobs"],
  audit: [],
  auth: ["audit", "email"],
  coverage: ["audit", "auth", "catalog", "email", "jobs"],
  catalog: ["auth"],
  media: ["audit", "auth", "catalog", "jobs"],
  learning: ["auth", "catalog", "coverage"],
  teach: ["auth", "catalog", "coverage", "learning", "media"],
  certificates: ["audit", "coverage", "jobs"],
  people: ["audit", "auth", "coverage", "email"],
  setup: [
    "audit",
    "auth",
    "catalog",
    "certificates",
    "coverage",
    "email",
    "jobs",
    "learning",
    "media",
    "people",
    "teach",
  ],
};
const DOMAINS = Object.keys(MAY_USE);

/** [importer, imported]: today's breaches, each with why it is still there (none today). */
const KNOWN_EXCEPTIONS = [];

const escapeRegExp = (path) => path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const folders = (names) => `^app/(${names.join("|")})/`;

// The allowed arrows must themselves be one-way.
(function assertAcyclic() {
  const state = {};
  const visit = (domain, trail) => {
    if (state[domain] === "done") return;
    if (state[domain] === "open")
      throw new Error(`.dependency-cruiser.cjs: MAY_USE has a cycle: ${[...trail, domain].join(" → ")}`);
    state[domain] = "open";
    for (const used of MAY_USE[domain]) {
      if (!(used in MAY_USE)) throw new Error(`.dependency-cruiser.cjs: unknown domain ${used}`);
      visit(used, [...trail, domain]);
    }
    state[domain] = "done";
  };
  for (const domain of DOMAINS) visit(domain, []);
})();

/**
 * One rule, with its known exceptions cut out edge by edge: an importer with an
 * exception is still held to the rule for every other import.
 */
function rule(name, comment, from, to) {
  const inScope = KNOWN_EXCEPTIONS.filter(
    ([importer, imported]) => new RegExp(from).test(importer) && new RegExp(to).test(imported),
  );
  const importers = [...new Set(inScope.map(([importer]) => importer))];
  const rules = [
    {
      name,
      comment,
      severity: "error",
      from: { path: from, ...(importers.length ? { pathNot: importers.map((f) => `^${escapeRegExp(f)}$`) } : {}) },
      to: { path: to },
    },
  ];
  for (const importer of importers) {
    const allowed = inScope.filter(([f]) => f === importer).map(([, imported]) => `^${escapeRegExp(imported)}$`);
    rules.push({
      name,
      comment,
      severity: "error",
      from: { path: `^${escapeRegExp(importer)}$` },
      to: { path: to, pathNot: allowed },
    });
  }
  return rules;
}

const BASE = "^app/(utils/|db/|i18n\\.ts$|i18next\\.server\\.ts$|load-context\\.ts$)";
const SHELL = "^app/(routes/|components/|root\\.tsx$|entry\\.)";

const config = {
  forbidden: [
    ...rule(
      "utils-uses-no-domain",
      "utils (and app/i18n, i18next, load-context) are the bottom layer.",
      BASE,
      `${folders(DOMAINS)}|${SHELL}`,
    ),
    ...rule("domains-use-no-ui", "Domain modules do not import routes or components.", folders(DOMAINS), SHELL),
    ...DOMAINS.flatMap((domain) => {
      const forbidden = DOMAINS.filter((other) => other !== domain && !MAY_USE[domain].includes(other));
      return forbidden.length
        ? rule(
            `${domain}-one-way`,
            `${domain} may use ${MAY_USE[domain].join(", ") || "no other domain"} (and utils).`,
            `^app/${domain}/`,
            folders(forbidden),
          )
        : [];
    }),
    ...rule(
      "components-use-no-db",
      "Components are UI: no database.",
      "^app/components/",
      "^app/(utils/db\\.server\\.ts$|db/)",
    ),
    ...rule("components-use-no-routes", "Components do not import route modules.", "^app/components/", "^app/routes/"),
    ...rule(
      "routes-use-no-db",
      "Routes call domain functions; the queries live in the domains.",
      "^app/routes/",
      "^app/(utils/db\\.server\\.ts$|db/)",
    ),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Tests may reach across layers to set up their world; generated Prisma clients are not ours.
    exclude: { path: ["\\.test\\.tsx?$", "^app/generated/"] },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js"] },
  },
};
// For tests/integration/boundaries.test.ts; not enumerable, as dependency-cruiser refuses unknown keys.
Object.defineProperties(config, { KNOWN_EXCEPTIONS: { value: KNOWN_EXCEPTIONS }, MAY_USE: { value: MAY_USE } });
module.exports = config;
