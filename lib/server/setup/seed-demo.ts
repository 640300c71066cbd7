import "server-only";
import { createHash } from "node:crypto";
import { DEMO_POSES, demoPoseToHand } from "@/lib/demo/poses";
import { drawHandImage } from "@/lib/demo/draw-hand";
import { db } from "@/lib/server/db";
import { ingestImage } from "@/lib/server/images/ingest-image";
import { createUser } from "@/lib/server/users/create-user";
import { createProject } from "@/lib/server/projects/create-project";
import { setMemberRoles } from "@/lib/server/projects/members";
import { ZProjectSettings } from "@/lib/project/schema";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import type { TProjectRole } from "@/lib/auth/permissions";

const DEMO_PEOPLE: { email: string; name: string; roles: TProjectRole[] }[] = [
  { email: "manager@demo.phalanx.local", name: "Mina Manager", roles: ["manager"] },
  { email: "reviewer@demo.phalanx.local", name: "Rae Reviewer", roles: ["reviewer"] },
  { email: "annotator1@demo.phalanx.local", name: "Ada Annotator", roles: ["annotator"] },
  { email: "annotator2@demo.phalanx.local", name: "Abe Annotator", roles: ["annotator"] },
];

const DEMO_SUBJECTS = [
  {
    code: "S-0001",
    ageBand: "25-34",
    sexOrGender: "female",
    monkSkinTone: 3,
    dominantHand: "right",
    occupationGroup: "office",
  },
  {
    code: "S-0002",
    ageBand: "35-44",
    sexOrGender: "male",
    monkSkinTone: 6,
    dominantHand: "left",
    occupationGroup: "manual",
  },
  {
    code: "S-0003",
    ageBand: "18-24",
    sexOrGender: null,
    monkSkinTone: 9,
    dominantHand: "right",
    occupationGroup: "student",
  },
];

const CONSENT_BODY = `I agree that photographs of my hands are taken and used to build a hand-pose dataset.
Fingertip regions are blurred before any image leaves the project. I may withdraw at any time.`;
const BIOMETRIC_NOTICE =
  "Hand photographs can reveal fingerprints, which are biometric data. They are kept at most three years.";

export type TDemoCredentials = { email: string; password: string; roles: TProjectRole[] }[];

/**
 * Seeds a demo project: four people (passwords returned once), three consenting subjects and a
 * dozen hand pictures the project draws itself, so a newcomer can click through at once.
 */
export async function seedDemo(adminId: string): Promise<TDemoCredentials> {
  const admin = await db.user.findUniqueOrThrow({ where: { id: adminId } });
  const project = await createProject(
    ZProjectSettings.parse({
      name: "Demo: everyday gestures",
      description: "Synthetic hands drawn by Phalanx itself, with demo subjects and consent. Safe to delete.",
    }),
    { id: admin.id, email: admin.email, name: admin.name, isAdmin: admin.isAdmin, mustChangePassword: false },
  );

  const credentials: TDemoCredentials = [];
  for (const person of DEMO_PEOPLE) {
    const user = await createUser({ email: person.email, name: person.name, isAdmin: false }, adminId);
    await setMemberRoles(project.id, user.id, person.roles, adminId);
    credentials.push({ email: user.email, password: user.oneTimePassword!, roles: person.roles });
  }

  const consentText = await db.consentText.create({
    data: {
      projectId: project.id,
      version: "v1",
      body: CONSENT_BODY,
      sha256: createHash("sha256").update(CONSENT_BODY).digest("hex"),
      scopes: ["annotation", "research", "commercial", "redistribution"],
      biometricNotice: BIOMETRIC_NOTICE,
      createdById: adminId,
    },
  });
  const now = new Date();
  const subjects = [];
  for (const subject of DEMO_SUBJECTS) {
    const created = await db.subject.create({ data: { ...subject, projectId: project.id } });
    await db.consentRecord.create({
      data: {
        subjectId: created.id,
        consentTextId: consentText.id,
        scopes: ["annotation", "research", "commercial", "redistribution"],
        biometricNoticeAcknowledged: true,
        signedAt: now,
        collectedById: adminId,
        jurisdiction: "EU",
        retentionUntil: new Date(now.getTime() + 3 * 365 * 24 * 3600 * 1000),
      },
    });
    await recordAuditEvent({
      actorId: adminId,
      projectId: project.id,
      action: "consent.recorded",
      targetType: "subject",
      targetId: created.id,
      details: { code: subject.code, demo: true },
    });
    subjects.push(created);
  }

  // Through the real ingest pipeline, so demo images are stored exactly like uploads. The first half
  // come already labelled and accepted (by the first annotator), so review, dashboards and exports have data.
  const labeller = await db.user.findUniqueOrThrow({ where: { email: DEMO_PEOPLE[2].email }, select: { id: true } });
  for (const [index, pose] of DEMO_POSES.entries()) {
    const image = await ingestImage({
      projectId: project.id,
      subjectId: subjects[index % subjects.length].id,
      bytes: await drawHandImage(pose),
      filename: `${pose.name}.jpg`,
      uploadedById: adminId,
      metadata: { setting: "studio", lighting: "even", background: "plain", camera: "synthetic" },
    });
    if (index >= DEMO_POSES.length / 2) continue;
    const hand = demoPoseToHand(pose);
    await db.annotation.create({
      data: {
        imageId: image.id,
        annotatorId: labeller.id,
        status: "accepted",
        submittedAt: new Date(),
        timeSpentMs: 40_000,
        imageFlags: [],
        qualityFlags: [],
        hands: {
          create: {
            position: 0,
            handedness: hand.handedness,
            keypoints: hand.keypoints,
            bbox: hand.bbox ?? undefined,
            gesture: hand.gesture,
            view: hand.view,
            skinTone: hand.skinTone,
            attributes: {},
            qualityFlags: [],
          },
        },
      },
    });
  }
  return credentials;
}
