// Where the e2e server (playwright.config.ts) keeps its data: specs that read
// or write its database directly use the same file the server does.
export const E2E_DATA_DIR = "data/e2e";
export const E2E_DATABASE_URL = `file:./${E2E_DATA_DIR}/e2e.db`;
