// An action's answer as the browser gets it, whichever way the route wrote it:
// a Response, Remix's data(value, { status }), or a plain object (status 200).
export type Answer = { status: number; body: unknown };

export async function answerOf(result: unknown): Promise<Answer> {
  if (result instanceof Response) {
    const json = result.headers.get("Content-Type")?.includes("json");
    return { status: result.status, body: json ? await result.json() : await result.text() };
  }
  const shaped = result as { type?: string; init?: { status?: number } | null; data?: unknown } | null;
  if (shaped?.type === "DataWithResponseInit") return { status: shaped.init?.status ?? 200, body: shaped.data };
  return { status: 200, body: result };
}
