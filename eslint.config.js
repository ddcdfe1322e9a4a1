// ESLint, run by `npm run lint` and by `npm test` (with --max-warnings 0).
// Recommended sets of typescript-eslint, React, react-hooks and jsx-a11y; layout is
// Prettier's job, so eslint-config-prettier comes last and turns style rules off.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import jsxA11y from "eslint-plugin-jsx-a11y";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "build/",
      "node_modules/",
      "reports/",
      "public/",
      "data/",
      "coverage/",
      "test-results/",
      "playwright-report/",
      "bench/out/",
      "app/generated/",
      // Generated from prisma/schema.prisma by prisma-kysely.
      "app/db/types.ts",
      ".react-router/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,cjs,mjs}"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a signature, a skipped element).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // App modules run on the server and in the browser; tests hand functions to the browser too.
    files: ["app/**", "tests/**"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ["app/**/*.tsx", "tests/**/*.tsx"],
    ...react.configs.flat.recommended,
    rules: { ...react.configs.flat.recommended.rules, ...react.configs.flat["jsx-runtime"].rules },
    settings: { react: { version: "detect" } },
  },
  {
    // Components and hooks live in .tsx files only (the React Compiler behind these rules
    // is the slowest part of a run, so it is not run over the plain .ts modules).
    files: ["app/**/*.tsx"],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // Every setState-in-effect here is deliberate: a "hydrated" flag that shows client-only
      // pieces (chart, player) after hydration, a loading state reset when a PDF page changes,
      // and local state resynced when a prop or saved data changes. Moving those into render
      // would change when the server and client markup agree.
      "react-hooks/set-state-in-effect": "off",
    },
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Arrows run one way: routes and components reach the database through domain modules.
    files: ["app/routes/**", "app/components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "~/utils/db.server",
              message:
                "Routes and components do not query the database: call a domain module (see app/utils/route.server.ts for route helpers).",
            },
          ],
          patterns: [
            {
              group: ["**/utils/db.server", "**/utils/db.server.ts"],
              message: "Use a domain module, not the database client.",
            },
          ],
        },
      ],
    },
  },
  prettier,
);
