import { checkHealth } from "~/setup/health.server";

// For load balancers and uptime checks: 200 when the database answers, the
// migrations are current and a job runner is alive; 503 otherwise.
export async function loader() {
  const health = await checkHealth().catch(() => ({ ok: false, database: "unreachable" as const }));
  return new Response(JSON.stringify(health), {
    status: health.ok ? 200 : 503,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}
