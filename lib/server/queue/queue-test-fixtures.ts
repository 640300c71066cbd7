import "server-only";
/** Test fixtures for queue and annotation tests: projects, consenting subjects, images and annotators, written directly. */
import { randomBytes } from "node:crypto";
import type { TConsentScope } from "@/lib/consent/schema";
import { db } from "@/lib/server/db";
import { createConsentText } from "@/lib/server/consent/consent-texts";
import { recordConsent } from "@/lib/server/consent/record-consent";
import { createSubject } from "@/lib/server/subjects/subjects";

const DAY = 24 * 60 * 60 * 1000;
export const unique = () => randomBytes(4).toString("hex");
const ALL: TConsentScope[] = ["annotation", "research", "commercial", "redistribution"];

export type TFixtureProject = Awaited<ReturnType<typeof createFixtureProject>>;

export async function createFixtureProject(
  options: { annotationsPerImage?: number; leaseMinutes?: number; withdrawalPolicy?: "purge" | "quarantine" } = {},
) {
  const manager = await db.user.create({
    data: { email: `m-${unique()}@example.test`, name: "Manager", passwordHash: "x" },
  });
  const project = await db.project.create({
    data: {
      name: `Project ${unique()}`,
      gestures: ["open_palm", "fist", "pointing"],
      handAttributes: ["ring", "nail_polish"],
      imageFlags: ["blurry", "low_light"],
      annotationsPerImage: options.annotationsPerImage ?? 1,
      leaseMinutes: options.leaseMinutes ?? 30,
      withdrawalPolicy: options.withdrawalPolicy ?? "purge",
      createdById: manager.id,
      memberships: { create: { userId: manager.id, role: "manager" } },
    },
  });
  const text = await createConsentText(
    project.id,
    {
      version: "v1",
      body: "I agree that photos of my hands are used.",
      scopes: ALL,
      biometricNotice: "Hand geometry is biometric data.",
    },
    manager.id,
  );
  return { manager, project, text };
}

let imageClock = Date.now() - 365 * DAY;

/** A subject (consenting to `scopes`, or without any record when scopes is null) with `count` images, oldest first. */
export async function createSubjectWithImages(
  fixture: TFixtureProject,
  count: number,
  options: { scopes?: TConsentScope[] | null; state?: string; width?: number; height?: number } = {},
) {
  const { manager, project, text } = fixture;
  const subject = await createSubject(project.id, {}, manager.id);
  const scopes = options.scopes === undefined ? ALL : options.scopes;
  if (scopes) {
    await recordConsent(
      project.id,
      subject.id,
      {
        consentTextId: text.id,
        scopes,
        biometricNoticeAcknowledged: true,
        signedAt: new Date(Date.now() - DAY),
        jurisdiction: "EU",
        isMinor: false,
      },
      null,
      manager.id,
    );
  }
  const images = [];
  for (let i = 0; i < count; i++) {
    imageClock += 1000;
    images.push(
      await db.image.create({
        data: {
          projectId: project.id,
          subjectId: subject.id,
          sha256: randomBytes(16).toString("hex"),
          byteSize: 64,
          mimeType: "image/jpeg",
          width: options.width ?? 640,
          height: options.height ?? 480,
          metadata: {},
          state: options.state ?? "active",
          createdAt: new Date(imageClock),
        },
      }),
    );
  }
  return { subject, images };
}

/** `count` annotators of the project. */
export async function createAnnotators(projectId: string, count: number) {
  const users = [];
  for (let i = 0; i < count; i++) {
    users.push(
      await db.user.create({
        data: {
          email: `a-${unique()}@example.test`,
          name: `Annotator ${i + 1}`,
          passwordHash: "x",
          memberships: { create: { projectId, role: "annotator" } },
        },
      }),
    );
  }
  return users;
}
