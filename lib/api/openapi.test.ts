import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

describe("openApiDocument", () => {
  const doc = openApiDocument("test");
  it("documents every scripting endpoint", () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/projects/{projectId}/images",
        "/projects/{projectId}/subjects",
        "/projects/{projectId}/subjects/{subjectId}/withdraw",
      ]),
    );
  });
  it("derives request bodies from the zod schemas", () => {
    const consent = doc.paths["/projects/{projectId}/subjects/{subjectId}/consent"].post.requestBody.content[
      "application/json"
    ].schema as { required?: string[]; properties?: Record<string, unknown> };
    expect(consent.required).toEqual(expect.arrayContaining(["consentTextId", "scopes", "signedAt", "jurisdiction"]));
    expect(consent.properties).toHaveProperty("guardianName");
  });
  it("documents coverage and targets with their query and body schemas", () => {
    const coverage = doc.paths["/projects/{projectId}/coverage"].get.parameters.map((p: { name: string }) => p.name);
    expect(coverage).toEqual(expect.arrayContaining(["projectId", "scope", "from", "to", "x", "y"]));
    const target = doc.paths["/projects/{projectId}/targets"].post.requestBody.content["application/json"].schema as {
      required?: string[];
      properties?: Record<string, unknown>;
    };
    expect(target.required).toEqual(expect.arrayContaining(["name", "kind", "value"]));
    expect(target.properties).toHaveProperty("each");
    expect(doc.paths["/projects/{projectId}/targets/{targetId}"]).toHaveProperty("delete");
  });
  it("lists every export format, the Hugging Face imagefolder layout included", () => {
    const options = doc.paths["/projects/{projectId}/exports"].post.requestBody.content["application/json"].schema as {
      properties?: Record<string, { items?: { enum?: unknown[] }; description?: string }>;
    };
    expect(options.properties?.formats?.items?.enum).toEqual(["coco", "yolo", "hf"]);
    expect(options.properties?.formats?.description).toContain("metadata.jsonl");
  });
});
