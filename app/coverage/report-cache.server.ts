import { getSql, type Sql } from "~/db/sql.server";
import { coverageVersion } from "./report-version.server";
import { scopeOf, type Actor } from "./scope.server";

// Reports by scope, as-of day and filters, under the coverage version they
// were computed at (report-version.server.ts). Ten coordinators of one scope
// asking at once share one computation, and later ones get its result until
// a write raises the version: an entry of an older version is never served.
// The key holds the actor's scope, never the person: two provinces never
// share an entry, two coordinators of one province do
// (docs/decisions/141-report-cache.md).

/** Entries kept: a dashboard is a few kilobytes; 34 provinces, a national level and agencies, a few dates each. */
export const REPORT_CACHE_ENTRIES = 200;

type Entry = { version: number; value: Promise<unknown> };

export class ReportCache {
  private readonly entries = new Map<string, Entry>();
  constructor(readonly capacity = REPORT_CACHE_ENTRIES) {}

  /**
   * The report named by `kind`, `actor`'s scope and `params` at the current
   * version: cached, or computed by `compute` (once, for everyone who asks
   * while it runs). A computation that fails is not kept.
   */
  async get<T>(
    kind: string,
    actor: Actor,
    params: Record<string, unknown>,
    compute: () => Promise<T>,
    sql: Sql = getSql(),
  ): Promise<T> {
    const version = await coverageVersion(sql);
    const scope = scopeOf(actor);
    const key = JSON.stringify([kind, scope.provinceId, scope.agencyId, sortedEntries(params)]);
    const found = this.entries.get(key);
    if (found && found.version === version) {
      // Most recently used last: the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value as Promise<T>;
    }
    const value = compute();
    const entry: Entry = { version, value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

function sortedEntries(params: Record<string, unknown>): [string, unknown][] {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
}

declare global {
  var __reportCache: ReportCache | undefined;
}

/** The process's cache of coverage reports. */
export function reportCache(): ReportCache {
  globalThis.__reportCache ??= new ReportCache();
  return globalThis.__reportCache;
}
