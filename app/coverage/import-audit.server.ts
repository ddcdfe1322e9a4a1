import { CLI_ACTOR, recordAudit } from "~/audit/audit.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import type { ImportKind, ImportOutcome } from "./imports.server";
import { scopeOf, type Actor } from "./scope.server";

// The audit entry of a finished import, in one call from the import runner
// (imports.server.ts#runImport), whatever runs it: the web, the command line
// or a job. A failure to record is logged and does not undo the import: its
// rows are committed by then, batch by batch.

export async function auditImport(
  kind: ImportKind,
  input: { importId: string; fileName: string; actor: Actor },
  outcome: ImportOutcome,
) {
  try {
    const user =
      input.actor.kind === "user"
        ? await db.user.findUnique({ where: { id: input.actor.id }, select: { id: true, email: true } })
        : null;
    await recordAudit({
      actor: user ? { id: user.id, email: user.email } : CLI_ACTOR,
      action: kind === "ROSTER" ? "import.roster" : "import.training",
      target: { type: "import", id: input.importId },
      scope: scopeOf(input.actor),
      details: {
        fileName: input.fileName,
        status: outcome.status,
        failure: outcome.failure?.reason ?? null,
        total: outcome.total,
        accepted: outcome.accepted,
        rejected: outcome.rejected,
        ...outcome.counts,
      },
    });
  } catch (error) {
    logger.error({ err: error, import: input.importId }, "import audit entry not recorded");
  }
}
