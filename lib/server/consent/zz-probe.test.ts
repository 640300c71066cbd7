import { randomBytes } from "node:crypto";
import { it } from "vitest";
import { ZProjectSettings } from "@/lib/project/schema";
import { ZCreateUser } from "@/lib/users/schema";
import { db } from "@/lib/server/db";
import { createUser } from "@/lib/server/users/create-user";
import { createProject } from "@/lib/server/projects/create-project";
import { createSubject, listSubjects } from "@/lib/server/subjects/subjects";
import { createConsentText } from "./consent-texts";
import { consentDecisions } from "./consent-facts";
import { recordConsent } from "./record-consent";
import { withdrawConsent } from "./withdraw-consent";
import { sweepExpiredConsent } from "./sweep-retention";
const DAY = 86400000;
it("probe", async () => {
  const u = await createUser(ZCreateUser.parse({ email: `m-${randomBytes(3).toString("hex")}@x.test`, name: "M", password: "long enough pw", isAdmin: true }), null);
  const admin = { id: u.id, email: u.email, name: u.name, isAdmin: true, mustChangePassword: false };
  const p = await createProject(ZProjectSettings.parse({ name: "P", withdrawalPolicy: "quarantine" }), admin);
  const t = await createConsentText(p.id, { version: "v1", body: "I agree that photos of my hands are used.", scopes: ["annotation"], biometricNotice: "Biometric notice here." }, admin.id);
  const base = { consentTextId: t.id, scopes: ["annotation" as const], biometricNoticeAcknowledged: true, jurisdiction: "EU", isMinor: false };
  // 1: correction of a withdrawn record
  const s1 = await createSubject(p.id, { notes: "Left-handed violinist" }, admin.id);
  const r1 = await recordConsent(p.id, s1.id, { ...base, signedAt: new Date(Date.now() - DAY) }, null, admin.id);
  await withdrawConsent(p.id, s1.id, { reason: "r", channel: "email" }, admin.id);
  const fix = await recordConsent(p.id, s1.id, { ...base, signedAt: new Date(Date.now() - DAY), jurisdiction: "US-IL", supersedesId: r1.id }, null, admin.id);
  console.log("1 correction of withdrawn ->", (await consentDecisions([s1.id], "annotation")).get(s1.id), "fix withdrawnAt", fix.withdrawnAt);
  // 2: back-dated signature default retention past
  const s2 = await createSubject(p.id, {}, admin.id);
  const r2 = await recordConsent(p.id, s2.id, { ...base, signedAt: new Date(Date.now() - 4 * 365 * DAY) }, null, admin.id);
  console.log("2 backdated default retention", r2.retentionUntil.toISOString(), (await consentDecisions([s2.id], "annotation")).get(s2.id));
  console.log("2 sweep", await sweepExpiredConsent());
  // 3: notes case
  console.log("3 search 'left' ->", (await listSubjects(p.id, "left")).length, "'Left' ->", (await listSubjects(p.id, "Left")).length);
  // 4: code search with partial lowercase notes that are in code form
});
