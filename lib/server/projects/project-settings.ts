import "server-only";
import { z } from "zod";
import { ZProjectFields, type TProjectSettings } from "@/lib/project/schema";
import { db } from "@/lib/server/db";

const SETTINGS_SELECT = {
  id: true,
  name: true,
  description: true,
  gestures: true,
  handAttributes: true,
  imageFlags: true,
  annotationsPerImage: true,
  reviewSampleRate: true,
  retentionDays: true,
  withdrawalPolicy: true,
  leaseMinutes: true,
  goldRate: true,
  agreementShare: true,
  agreementThreshold: true,
  createdAt: true,
} as const;

export type TProject = TProjectSettings & { id: string; createdAt: Date };

/** Reads a project and validates its JSON columns with the same schema that wrote them. */
export async function getProjectOrThrow(projectId: string): Promise<TProject> {
  const row = await db.project.findUniqueOrThrow({ where: { id: projectId }, select: SETTINGS_SELECT });
  const settings = ZProjectFields.extend({ gestures: z.array(z.string()) }).parse(row);
  return { ...settings, id: row.id, createdAt: row.createdAt };
}
