/**
 * The OpenAPI document of the scripting API (/api/v1), generated from the same zod schemas the
 * route handlers validate with, so the document cannot drift from the code.
 */
import { z } from "zod";
import { ZConsentRecordInput, ZConsentTextInput, ZWithdrawalInput } from "@/lib/consent/schema";
import { ZGalleryFilters } from "@/lib/images/gallery-filters";
import { ZExportOptions } from "@/lib/export/options";
import { ZSubjectInput, ZUpdateSubject } from "@/lib/subjects/schema";
import { ZCoverageQuery } from "@/lib/coverage/query";
import { ZTargetInput } from "@/lib/coverage/targets";

const schema = (zod: z.ZodType) => z.toJSONSchema(zod, { target: "openapi-3.0", io: "input", unrepresentable: "any" });
const json = (zod: z.ZodType) => ({ required: true, content: { "application/json": { schema: schema(zod) } } });
const ok = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const errors = {
  400: { description: "Invalid input: `error` says what, `fields` names each failing field; nothing was changed" },
  401: { description: "No valid session or API token" },
  403: { description: "Your role in the project does not allow this" },
  404: { description: "No such project or resource (or not yours to know about)" },
};
const projectId = { name: "projectId", in: "path", required: true, schema: { type: "string" } };
const subjectId = { name: "subjectId", in: "path", required: true, schema: { type: "string" } };

export function openApiDocument(version: string) {
  const coverageParameters = Object.keys(ZCoverageQuery.shape).map((name) => ({
    name,
    in: "query",
    required: false,
    schema: schema(ZCoverageQuery.shape[name as keyof typeof ZCoverageQuery.shape]),
  }));
  const targetId = { name: "targetId", in: "path", required: true, schema: { type: "string" } };
  const filterParameters = Object.keys(ZGalleryFilters.shape).map((name) => ({
    name,
    in: "query",
    required: false,
    schema: schema(ZGalleryFilters.shape[name as keyof typeof ZGalleryFilters.shape]),
  }));
  return {
    openapi: "3.0.3",
    info: {
      title: "Phalanx scripting API",
      version,
      description:
        "Create a personal API token on your account page and send it as `Authorization: Bearer phx_…`. Every call is authorised like the web app: the token acts as you.",
    },
    servers: [{ url: "/api/v1" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths: {
      "/projects": { get: { summary: "Projects you may see", responses: { 200: ok("{ projects }"), ...errors } } },
      "/projects/{projectId}/images": {
        get: {
          summary: "List images (managers)",
          parameters: [projectId, ...filterParameters],
          responses: { 200: ok("{ images, total, page, pageSize }"), ...errors },
        },
        post: {
          summary: "Upload one image (managers). The subject must consent to annotation.",
          parameters: [projectId],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: {
                    file: { type: "string", format: "binary", description: "JPEG, PNG or WebP; metadata is stripped" },
                    subjectCode: { type: "string", example: "S-0042" },
                    subjectId: { type: "string" },
                  },
                },
              },
            },
          },
          responses: {
            201: ok("{ image }"),
            ...errors,
            409: { description: "Duplicate of an existing image (named), or the subject has no active consent" },
            413: { description: "Over the byte or pixel limit (decompression bombs included)" },
            415: { description: "Not a JPEG, PNG or WebP image" },
          },
        },
      },
      "/projects/{projectId}/subjects": {
        get: {
          summary: "List subjects with demographics (managers)",
          parameters: [projectId, { name: "q", in: "query", schema: { type: "string" } }],
          responses: { 200: ok("{ subjects }"), ...errors },
        },
        post: {
          summary: "Create a subject; a code is assigned",
          parameters: [projectId],
          requestBody: json(ZSubjectInput),
          responses: { 201: ok("{ subject }"), ...errors },
        },
      },
      "/projects/{projectId}/subjects/{subjectId}": {
        get: {
          summary: "A subject, its consent history and what it allows now",
          parameters: [projectId, subjectId],
          responses: { 200: ok("{ subject, records, purposes }"), ...errors },
        },
        patch: {
          summary: "Edit demographics",
          parameters: [projectId, subjectId],
          requestBody: json(ZUpdateSubject),
          responses: { 200: ok("{ subject }"), ...errors },
        },
      },
      "/projects/{projectId}/subjects/{subjectId}/consent": {
        post: {
          summary: "Append a consent record (JSON, or multipart with `record` JSON and a signed `form` file)",
          parameters: [projectId, subjectId],
          requestBody: json(ZConsentRecordInput),
          responses: { 201: ok("{ record }"), ...errors },
        },
      },
      "/projects/{projectId}/subjects/{subjectId}/withdraw": {
        post: {
          summary: "Withdraw consent, effective immediately",
          parameters: [projectId, subjectId],
          requestBody: json(ZWithdrawalInput),
          responses: { 200: ok("{ withdrawal }"), ...errors },
        },
      },
      "/projects/{projectId}/exports": {
        get: {
          summary: "Exports with status and progress (managers)",
          parameters: [projectId],
          responses: { 200: ok("{ exports }"), ...errors },
        },
        post: {
          summary: "Queue an export; any app instance runs it",
          parameters: [projectId],
          requestBody: json(ZExportOptions),
          responses: { 202: ok("{ export }"), ...errors },
        },
      },
      "/projects/{projectId}/exports/{exportId}": {
        get: {
          summary: "One export's status, progress and summary",
          parameters: [projectId, { name: "exportId", in: "path", required: true, schema: { type: "string" } }],
          responses: { 200: ok("{ export }"), ...errors },
        },
      },
      "/projects/{projectId}/exports/{exportId}/download": {
        get: {
          summary: "The finished zip (audit-logged)",
          parameters: [projectId, { name: "exportId", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            200: { description: "application/zip" },
            ...errors,
            409: { description: "Not finished yet" },
            410: { description: "Revoked (a subject withdrew consent): error names the reason and date" },
          },
        },
      },
      "/projects/{projectId}/exports/{exportId}/rebuild": {
        post: {
          summary:
            "Rebuild a revoked export with the same options minus withdrawn subjects; its manifest names the export it supersedes",
          parameters: [projectId, { name: "exportId", in: "path", required: true, schema: { type: "string" } }],
          responses: { 202: ok("{ export }"), ...errors },
        },
      },
      "/projects/{projectId}/imports": {
        post: {
          summary:
            "Import a COCO keypoints file as accepted labels (?skipInvalid=1 imports the valid part and lists the rest)",
          parameters: [projectId, { name: "skipInvalid", in: "query", schema: { type: "string", enum: ["1"] } }],
          requestBody: {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  required: ["file"],
                  properties: { file: { type: "string", format: "binary" } },
                },
              },
            },
          },
          responses: { 200: ok("{ report: { imported, hands, invalid: [{ annotationId, reason }] } }"), ...errors },
        },
      },
      "/projects/{projectId}/coverage": {
        get: {
          summary:
            "Coverage (managers): hands per dimension (perceived skin tone, gesture, view, interaction, handedness, occlusion, truncation, image conditions, subject demographics), a two-way table `x` × `y`, each target's progress (largest gaps first) and the shot list. `scope=accepted` counts accepted hands, `labelled` also those waiting for review; `from`/`to` filter by when the hand was last labelled. Counts are exact: keep them inside your organisation.",
          parameters: [projectId, ...coverageParameters],
          responses: { 200: ok("{ totalHands, marginals, pair, targets, shots, ms }"), ...errors },
        },
      },
      "/projects/{projectId}/coverage/shot-list": {
        get: {
          summary: "The shot list as CSV: what to photograph next (demographic cells under 5 subjects are suppressed)",
          parameters: [projectId, ...coverageParameters],
          responses: { 200: { description: "text/csv" }, ...errors },
        },
      },
      "/projects/{projectId}/targets": {
        get: {
          summary: "Coverage targets (managers)",
          parameters: [projectId],
          responses: { 200: ok("{ targets }"), ...errors },
        },
        post: {
          summary: 'Add a target, e.g. { name, kind: "min_count", value: 300, cell: { skinToneBand: ["8-10"] } }',
          parameters: [projectId],
          requestBody: json(ZTargetInput),
          responses: { 201: ok("{ target }"), ...errors },
        },
      },
      "/projects/{projectId}/targets/{targetId}": {
        put: {
          summary: "Replace a target",
          parameters: [projectId, targetId],
          requestBody: json(ZTargetInput),
          responses: { 200: ok("{ target }"), ...errors },
        },
        delete: {
          summary: "Remove a target",
          parameters: [projectId, targetId],
          responses: { 204: { description: "Removed" }, ...errors },
        },
      },
      "/projects/{projectId}/consent-texts": {
        get: {
          summary: "Consent text versions",
          parameters: [projectId],
          responses: { 200: ok("{ consentTexts }"), ...errors },
        },
        post: {
          summary: "Add an immutable consent text version",
          parameters: [projectId],
          requestBody: json(ZConsentTextInput),
          responses: { 201: ok("{ consentText }"), ...errors },
        },
      },
    },
  };
}
