/**
 * What bench/scale.ts times: each page's and API list endpoint's data, through the same lib/server
 * functions the pages and routes call. Claims write (a draft, a review lease), so each repeat claims for
 * another person, as a team would.
 */
import type { TDb } from "@/lib/server/db/open";
import type { TScaleProject } from "./scale-project";

export type TCase = { name: string; run: () => Promise<unknown> };

export async function cases(db: TDb, project: TScaleProject): Promise<TCase[]> {
  const { listImages } = await import("@/lib/server/images/list-images");
  const { ZGalleryFilters } = await import("@/lib/images/gallery-filters");
  const { listSubjects } = await import("@/lib/server/subjects/subjects");
  const { getSubjectDetail } = await import("@/lib/server/subjects/subject-detail");
  const { consentDecisions } = await import("@/lib/server/consent/consent-facts");
  const { claimNextReview } = await import("@/lib/server/review/claim-next-review");
  const { claimNextImage } = await import("@/lib/server/queue/claim-next-image");
  const { listMyWork } = await import("@/lib/server/annotations/list-my-work");
  const { getProjectStats } = await import("@/lib/server/stats/project-stats");
  const { acceptedPairSample, imageAgreements } = await import("@/lib/server/qc/agreement");
  const { projectSigmas } = await import("@/lib/server/gold/project-sigmas");
  const { listExports } = await import("@/lib/server/export/export-jobs");
  const { getImageDetail } = await import("@/lib/server/images/image-detail");
  const { listProjectsFor } = await import("@/lib/server/projects/list-projects");
  const { getReviewHomeCounts } = await import("@/lib/server/review/review-home-counts");
  const { getProjectOverview } = await import("@/lib/server/projects/project-overview");
  const { browseLabels, labellersOf } = await import("@/lib/server/labels/browse-labels");
  const { ZLabelBrowserFilters } = await import("@/lib/labels/browser-filters");

  const { projectId } = project;
  const gallery = (filters: Record<string, unknown>) => () => listImages(projectId, ZGalleryFilters.parse(filters));
  // A deep page: 90 % of the way through the unfiltered gallery, reached the way the UI reaches it.
  const deep = await deepPageFilters(db, projectId, 0.9, listImages, ZGalleryFilters);
  const deepAccepted = await deepPageFilters(db, projectId, 0.5, listImages, ZGalleryFilters, { status: "accepted" });

  let reviewer = 0;
  const extraReviewers: string[] = [];
  for (let i = 0; i < 40; i++)
    extraReviewers.push(
      (
        await db.user.create({
          data: {
            email: `bench-reviewer-${i}-${Date.now()}@scale.local`,
            name: `Bench reviewer ${i}`,
            passwordHash: "x",
          },
        })
      ).id,
    );
  let annotator = 0;
  const manager = {
    id: project.managerId,
    email: "manager@scale.local",
    name: "Manager",
    isAdmin: false,
    mustChangePassword: false,
  };
  const someAnnotator = project.annotatorIds[3];
  const someImage = project.sampleImageIds[Math.floor(project.sampleImageIds.length / 2)];
  const labels = (filters: Record<string, unknown>) => () =>
    Promise.all([browseLabels(projectId, ZLabelBrowserFilters.parse(filters)), labellersOf(projectId)]);
  const labelsCursor = (await browseLabels(projectId, ZLabelBrowserFilters.parse({}))).nextCursor ?? undefined;

  return [
    { name: "gallery page 1", run: gallery({}) },
    ...(["accepted", "submitted", "rejected", "draft", "unlabelled"] as const).map((status) => ({
      name: `gallery status=${status}`,
      run: gallery({ status }),
    })),
    { name: "gallery consent=usable", run: gallery({ consent: "usable" }) },
    { name: "gallery consent=blocked", run: gallery({ consent: "blocked" }) },
    { name: "gallery state=quarantined", run: gallery({ state: "quarantined" }) },
    { name: "gallery subject (busiest)", run: gallery({ subjectId: project.busySubjectId }) },
    { name: "gallery deep page (90 %)", run: gallery(deep) },
    { name: "gallery accepted, deep (50 %)", run: gallery(deepAccepted) },
    {
      name: "subjects list (+ consent)",
      run: async () => {
        const s = await listSubjects(projectId);
        await consentDecisions(
          s.map((x) => x.id),
          "annotation",
        );
      },
    },
    { name: "subjects search", run: () => listSubjects(projectId, "violinist") },
    { name: "subject page (busiest)", run: () => getSubjectDetail(projectId, project.busySubjectId) },
    { name: "review page counts", run: () => getReviewHomeCounts(projectId, project.reviewerIds[0]) },
    { name: "review claim", run: () => claimNextReview(projectId, extraReviewers[reviewer++ % extraReviewers.length]) },
    {
      name: "work queue claim",
      run: () => claimNextImage(projectId, project.annotatorIds[annotator++ % project.annotatorIds.length]),
    },
    { name: "my work (queue/mine)", run: () => listMyWork(projectId, someAnnotator) },
    { name: "dashboard stats", run: () => getProjectStats(projectId) },
    { name: "project overview", run: () => getProjectOverview(projectId) },
    { name: "projects list", run: () => listProjectsFor(manager) },
    {
      name: "quality page (sigmas)",
      run: () => Promise.all([acceptedPairSample(projectId), projectSigmas(projectId)]),
    },
    { name: "adjudication queue", run: () => imageAgreements(projectId) },
    { name: "exports list", run: () => listExports(projectId) },
    { name: "image page + audit history", run: () => getImageDetail(projectId, someImage) },
    // The labels browser (a manager's view of every labelling), as its page loads it: a page and the labellers.
    { name: "labels browser page 1", run: labels({}) },
    { name: "labels browser status=submitted", run: labels({ status: "submitted" }) },
    { name: "labels browser one annotator", run: labels({ annotatorId: someAnnotator }) },
    { name: "labels browser next page", run: labels({ after: labelsCursor }) },
  ];
}

/**
 * The filters that show the page `share` of the way into the gallery, reached the way the UI reaches it:
 * a keyset cursor (`after`) when listImages offers one, else the page number. Found once, untimed.
 */
async function deepPageFilters(
  db: TDb,
  projectId: string,
  share: number,
  listImages: (projectId: string, filters: never) => Promise<{ images: { id: string }[]; pageSize: number }>,
  schema: { parse: (v: unknown) => unknown; shape?: Record<string, unknown> },
  base: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const images = await db.image.count({ where: { projectId } });
  // The generator accepts about 2/3 of all images: aim inside the filtered list, not past its end.
  const matching = base.status ? Math.floor(images * 0.6) : images;
  const page = Math.max(1, Math.floor((matching * share) / 60));
  if (!schema.shape || !("after" in schema.shape)) return { ...base, page };
  const before = await listImages(projectId, schema.parse({ ...base, page: Math.max(1, page - 1) }) as never);
  return { ...base, after: before.images[before.images.length - 1]?.id };
}
