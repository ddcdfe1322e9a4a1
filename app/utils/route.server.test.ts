import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sortableId } from "./ids.server";
import { badRequest, forbidden, Id, notFound, parseParams } from "./route.server";

describe("parseParams", () => {
  const Params = z.object({ courseId: Id });

  it("returns the checked params", () => {
    expect(parseParams({ courseId: "clx0abc1230000xyz9876543" }, Params)).toEqual({
      courseId: "clx0abc1230000xyz9876543",
    });
  });

  it("throws a 404 for a malformed or missing id, never a 400 or a 500", () => {
    for (const params of [{ courseId: "../etc/passwd" }, { courseId: "ABC" }, { courseId: "a".repeat(41) }, {}]) {
      let thrown: unknown;
      try {
        parseParams(params, Params);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(404);
    }
  });
});

describe("Id", () => {
  it("accepts Prisma's cuids and the sortable ids of bulk writes", () => {
    expect(Id.safeParse("cm3x7q2kz0000abcd1234efgh").success).toBe(true);
    expect(Id.safeParse(sortableId()).success).toBe(true);
  });
});

describe("responses", () => {
  it("keep the bodies and statuses the routes always sent", async () => {
    expect([notFound().status, await notFound().text()]).toEqual([404, "Not found"]);
    expect([forbidden().status, await forbidden().text()]).toEqual([403, "Forbidden"]);
    expect([badRequest().status, await badRequest().text()]).toEqual([400, "Bad Request"]);
    expect(await badRequest("lang must be vi or en").text()).toBe("lang must be vi or en");
  });
});
