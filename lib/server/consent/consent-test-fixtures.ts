import "server-only";
import { randomBytes } from "node:crypto";
import { ZProjectSettings } from "@/lib/project/schema";
import { ZCreateUser } from "@/lib/users/schema";
import { createUser } from "@/lib/server/users/create-user";
import { createProject } from "@/lib/server/projects/create-project";

export const uniqueSuffix = () => randomBytes(4).toString("hex");

/** A new administrator (as a session user) and a project of theirs with the given settings. */
export async function adminWithProject(settings: Record<string, unknown> = {}) {
  const user = await createUser(
    ZCreateUser.parse({
      email: `m-${uniqueSuffix()}@example.test`,
      name: "Manager",
      password: "long enough pw",
      isAdmin: true,
    }),
    null,
  );
  const admin = { id: user.id, email: user.email, name: user.name, isAdmin: true, mustChangePassword: false };
  const project = await createProject(
    ZProjectSettings.parse({ name: `Project ${uniqueSuffix()}`, ...settings }),
    admin,
  );
  return { admin, project };
}
