import { describe, expect, it } from "vitest";
import { ZGalleryFilters } from "@/lib/images/gallery-filters";
import { db } from "@/lib/server/db";
import {
  createAnnotators,
  createFixtureProject,
  createSubjectWithImages,
} from "@/lib/server/queue/queue-test-fixtures";
import { galleryPageSql, listImages } from "./list-images";

const filters = (value: Record<string, unknown>) => ZGalleryFilters.parse(value);

describe("listImages: keyset pages of the gallery", () => {
  it("walks every image newest first with Next, comes back with Previous, and filters by label status either way", async () => {
    const fixture = await createFixtureProject();
    const projectId = fixture.project.id;
    const { images } = await createSubjectWithImages(fixture, 7);
    const newestFirst = [...images]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id))
      .map((i) => i.id);

    const seen: string[][] = [];
    let page = await listImages(projectId, filters({ pageSize: 3 }));
    expect(page).toMatchObject({ total: 7, totalIsLowerBound: false, previousCursor: null });
    seen.push(page.images.map((i) => i.id));
    while (page.nextCursor) {
      page = await listImages(projectId, filters({ pageSize: 3, after: page.nextCursor }));
      seen.push(page.images.map((i) => i.id));
    }
    expect(seen.flat()).toEqual(newestFirst);
    expect(seen.map((p) => p.length)).toEqual([3, 3, 1]);

    // Previous from the last page is the middle page again, and from there the first one (which has no Previous).
    const middle = await listImages(projectId, filters({ pageSize: 3, before: page.previousCursor! }));
    expect(middle.images.map((i) => i.id)).toEqual(seen[1]);
    const first = await listImages(projectId, filters({ pageSize: 3, before: middle.previousCursor! }));
    expect(first.images.map((i) => i.id)).toEqual(seen[0]);
    expect(first.previousCursor).toBeNull();

    // Written without the app's writes (as a claim writes drafts): the filter catches the stored status up first.
    // Two accepted annotations on one image list it once; an image is listed under the furthest status of its
    // labellings (accepted beats a second annotator's draft), the one the gallery shows; skipped holds no slot.
    const [a, b] = await createAnnotators(projectId, 2);
    for (const [imageId, annotatorId, status] of [
      [newestFirst[1], a.id, "accepted"],
      [newestFirst[1], b.id, "accepted"],
      [newestFirst[4], a.id, "accepted"],
      [newestFirst[4], b.id, "draft"],
      [newestFirst[5], b.id, "draft"],
      [newestFirst[6], a.id, "skipped"],
    ] as const) {
      await db.annotation.create({ data: { imageId, annotatorId, status, imageFlags: [], qualityFlags: [] } });
    }
    const accepted = await listImages(projectId, filters({ status: "accepted" }));
    expect(accepted.images.map((i) => i.id)).toEqual([newestFirst[1], newestFirst[4]]);
    expect(accepted.images.map((i) => i.labelStatus)).toEqual(["accepted", "accepted"]);
    expect(accepted.total).toBe(2);
    const drafts = await listImages(projectId, filters({ status: "draft" }));
    expect(drafts.images.map((i) => i.id)).toEqual([newestFirst[5]]);
    // The stored column is what the page query reads.
    const rows = await db.$queryRaw<{ id: string }[]>(galleryPageSql(projectId, { status: "accepted" }, { limit: 10 }));
    expect(rows.map((r) => r.id)).toEqual([newestFirst[1], newestFirst[4]]);
    const unlabelled = await listImages(
      projectId,
      filters({ status: "unlabelled", pageSize: 2, after: newestFirst[0] }),
    );
    expect(unlabelled.images.map((i) => i.id)).toEqual([newestFirst[2], newestFirst[3]]);
    expect(unlabelled.total).toBe(4);
    expect((await listImages(projectId, filters({ status: "unlabelled" }))).images.map((i) => i.id)).toContain(
      newestFirst[6],
    );
  });

  it("answers an unknown cursor with an empty page, and another project's images never appear", async () => {
    const fixture = await createFixtureProject();
    const other = await createFixtureProject();
    const { images: foreign } = await createSubjectWithImages(other, 2);
    await createSubjectWithImages(fixture, 2);
    const page = await listImages(fixture.project.id, filters({ after: "no-such-image" }));
    expect(page.images).toEqual([]);
    const crossed = await listImages(fixture.project.id, filters({ after: foreign[0].id }));
    expect(crossed.images.map((i) => i.id)).not.toContain(foreign[1].id);
  });
});
