// The OpenAPI document is generated from the routes' zod schemas, never written by hand. What
// every operation needs besides its schemas is derived here, in one place, from the route itself:
// its operationId (method and path), its security (credentialsFor, from the route's config), the
// descriptions of the path parameters the whole API shares, and a sentence on access for clients.
// Schemas named with nameSchemas (lib/schemas.ts) become components, referred to by $ref.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { OpenAPIV3 } from 'openapi-types';
import type { Config } from '../config.ts';
import { credentialsFor } from './authenticate.ts';
import { SESSION_COOKIE } from '../modules/auth/session.ts';

const TAGS: OpenAPIV3.TagObject[] = [
  { name: 'operations', description: 'Whether the server and its database answer.' },
  { name: 'auth', description: 'Signing in by e-mailed link, the current session and its CSRF token, signing out.' },
  { name: 'me', description: 'My profile.' },
  { name: 'notifications', description: 'Which notifications I receive, and how often.' },
  { name: 'groups', description: 'Correspondence groups: terms of reference, visibility, mailing list, time zone.' },
  { name: 'members', description: 'Who is in a group, with which role; invitations.' },
  { name: 'timeframe', description: "A group's milestones (drafts posted, comment deadlines, final report) and what they set off." },
  { name: 'documents', description: 'The drafts a group works on.' },
  { name: 'revisions', description: 'Immutable revisions of a document, split into clauses; previews and comparisons.' },
  { name: 'periods', description: 'Comment periods on revisions: opening, extending, closing; the group phase.' },
  { name: 'comments', description: 'Clause comments and replies.' },
  { name: 'dispositions', description: 'Adjudication: dispositions of comments, responses, the disposition table and the final report.' },
  { name: 'digests', description: 'Digests mailed to the group list and subscribers; subscribing and unsubscribing.' },
  { name: 'calendar', description: "A member's private iCalendar feed of the group's timeframe." },
  { name: 'public', description: 'Published outputs of groups whose outputs are public, without signing in.' },
  { name: 'audit', description: "A group's audit log." },
  { name: 'admin', description: "The server operator's views: users, sessions, deliveries, bounces, the audit log, the local mailbox." },
  { name: 'work programme', description: "A group's work items: A.1 justification, editors, lifecycle status and its history, the texts that carry them." },
  {
    name: 'consultations',
    description: 'Member State consultations on determined drafts: invited Administrations, their answers, the tally against the threshold.',
  },
  { name: 'consultation', description: 'Comment periods open beyond the members: the public consultation page, outside respondents, moderation, analysis.' },
  { name: 'liaisons', description: 'Outgoing liaison statements to outside bodies, whose answers come back as comments.' },
  { name: 'mail', description: "Replies by e-mail: the receiving MTA's pipe of raw messages (authenticated by its own secret)." },
];

/**
 * What a path or paging parameter means, by its name: these names are one vocabulary across
 * the API, so each is described once here rather than at every route that takes it.
 */
const PARAMETERS: Record<string, string> = {
  slug: "The group's short name in URLs, e.g. cg-iotsec",
  documentId: "The document's id",
  commentId: "The comment's id",
  sequence: "The revision's number within its document, from 1",
  revision: 'A revision number within the document, from 1',
  userId: "The user's id",
  milestoneId: "The milestone's id",
  digestId: "The digest's id",
  periodId: "The comment period's id",
  sessionId: "The session's id (from GET /api/auth/sessions)",
  deliveryId: "The delivery's id",
  token: 'The secret token from the link (it is the credential)',
  limit: 'How many items to answer at most',
  cursor: "Where to continue: the previous page's nextCursor",
};

type JsonSchema = { properties?: Record<string, { description?: string }> };

export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Convene API',
          version: '0.1.0',
          description: 'Drafts, clause comments, adjudication and digests for standards correspondence groups. Errors are `{ code, message }`.',
        },
        servers: [{ url: config.publicUrl }],
        tags: TAGS,
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /api/auth/verify.' },
            csrf: {
              type: 'apiKey',
              in: 'header',
              name: 'x-csrf-token',
              description: "The session's CSRF token (csrfToken from GET /api/auth/session), required with the session cookie on every write.",
            },
          },
        },
      },
      transform: (input) => {
        const { schema, url } = jsonSchemaTransform(input) as { schema: Record<string, unknown> & { hide?: boolean }; url: string };
        if (schema.hide) return { schema, url };
        const method = typeof input.route.method === 'string' ? input.route.method : input.route.method[0]!;
        const credentials = credentialsFor({ method, url: input.route.url, config: input.route.config });
        for (const part of ['params', 'querystring'] as const) describeParameters(schema[part] as JsonSchema | undefined);
        return {
          url,
          schema: {
            ...schema,
            operationId: schema.operationId ?? operationIdFor(method, input.route.url),
            security: securityOf(credentials),
            description: [schema.description, accessSentence(credentials)].filter(Boolean).join('\n\n'),
          },
        };
      },
      transformObject: (input) => finishDocument(jsonSchemaTransformObject(input) as OpenAPIV3.Document),
    });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  },
  { name: 'openapi' },
);

/** The whole document, once every route is in it. */
function finishDocument(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  pruneComponents(doc);
  typeNullableRefs(doc);
  shareErrorResponse(doc);
  shareParameters(doc);
  describeResponses(doc);
  return doc;
}

type Credentials = ReturnType<typeof credentialsFor>;

function securityOf({ session, csrf }: Credentials): OpenAPIV3.SecurityRequirementObject[] {
  if (session === 'none') return [];
  const signedIn: OpenAPIV3.SecurityRequirementObject = csrf ? { session: [], csrf: [] } : { session: [] };
  return session === 'optional' ? [signedIn, {}] : [signedIn];
}

function accessSentence({ session, csrf }: Credentials): string {
  const header = csrf ? ", with the session's CSRF token in `x-csrf-token`" : '';
  if (session === 'none') return 'No session needed.';
  if (session === 'optional') return `Answers without a session where the group allows it; a member's session${header} may see more.`;
  return `Needs a session (the cookie from POST /api/auth/verify)${header}; without one it answers 401.`;
}

function describeParameters(schema: JsonSchema | undefined) {
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if (!property.description && PARAMETERS[name]) property.description = PARAMETERS[name];
  }
}

/**
 * The operation's name in generated clients, from its method and path: the static segments in
 * order, a collection named before one of its ids in the singular (`GET /api/groups/:slug/members`
 * → `getGroupMembers`), a file extension as a last word. Accepts `:param` and `{param}`.
 */
export function operationIdFor(method: string, url: string): string {
  const segments = url.split('/').filter((s) => s && s !== 'api');
  const words: string[] = [];
  segments.forEach((segment, i) => {
    const param = /^(?::\w+|\{\w+\})(.*)$/.exec(segment);
    if (param) {
      const previous = words.length - 1;
      if (previous >= 0 && segments[i - 1] && !/^[:{]/.test(segments[i - 1]!)) words[previous] = singular(words[previous]!);
      if (param[1]) words.push(...param[1].split(/[^a-zA-Z0-9]+/).filter(Boolean));
      return;
    }
    words.push(...segment.split(/[^a-zA-Z0-9]+/).filter(Boolean));
  });
  return method.toLowerCase() + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

const singular = (word: string) => (/ies$/.test(word) ? word.replace(/ies$/, 'y') : /[^s]s$/.test(word) ? word.slice(0, -1) : word);

const ERROR_REF = '#/components/schemas/Error';

/** Every error answer is the same `{ code, message }`: one shared response instead of ~190 copies. */
function shareErrorResponse(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  let shared = false;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item ?? {}) as OpenAPIV3.OperationObject[]) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const content = (response as OpenAPIV3.ResponseObject).content;
        if (
          !/^[45]/.test(status) ||
          !content ||
          Object.keys(content).length !== 1 ||
          (content['application/json']?.schema as OpenAPIV3.ReferenceObject | undefined)?.$ref !== ERROR_REF
        )
          continue;
        op.responses[status] = { $ref: '#/components/responses/Error' };
        shared = true;
      }
    }
  }
  if (shared) {
    doc.components!.responses = {
      ...doc.components!.responses,
      Error: {
        description: 'An error: a stable machine `code` and a `message` a person understands',
        content: { 'application/json': { schema: { $ref: ERROR_REF } } },
      },
    };
  }
  return doc;
}

/** Only the components something refers to: the type provider emits an input and an output variant of every named schema. */
function pruneComponents(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  const schemas = doc.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (value: unknown) => {
    const text = JSON.stringify(value);
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (used.has(name!)) continue;
      used.add(name!);
      visit(schemas[name!]);
    }
  };
  visit(doc.paths);
  doc.components!.schemas = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return doc;
}

/**
 * OpenAPI 3.0 ignores `nullable` beside no `type`, and zod writes a nullable named schema as
 * `{ nullable: true, allOf: [{ $ref }] }`: give it the referenced schema's type, so that null is allowed.
 */
function typeNullableRefs(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  const schemas = doc.components?.schemas ?? {};
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as { nullable?: boolean; type?: string; allOf?: { $ref?: string }[] };
    const ref = node.allOf?.length === 1 ? node.allOf[0]!.$ref : undefined;
    if (node.nullable && !node.type && ref) node.type = (schemas[ref.split('/').pop()!] as OpenAPIV3.SchemaObject | undefined)?.type ?? 'object';
    Object.values(node).forEach(visit);
  };
  visit(doc.paths);
  visit(schemas);
  return doc;
}

/**
 * A path or query parameter spelled the same on several operations (slug, documentId, ...) is
 * one component parameter, referred to by each: one definition for readers and client generators.
 */
function shareParameters(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  const ops = Object.values(doc.paths).flatMap((item) => Object.values(item ?? {}) as OpenAPIV3.OperationObject[]);
  const uses = new Map<string, number>();
  for (const parameter of ops.flatMap((op) => op.parameters ?? [])) uses.set(JSON.stringify(parameter), (uses.get(JSON.stringify(parameter)) ?? 0) + 1);
  const names = new Map<string, string>();
  const shared: Record<string, OpenAPIV3.ParameterObject> = {};
  for (const [text, count] of uses) {
    if (count < 2) continue;
    const parameter = JSON.parse(text) as OpenAPIV3.ParameterObject;
    const base = parameter.name[0]!.toUpperCase() + parameter.name.slice(1) + (parameter.in === 'query' ? 'Query' : '');
    let name = base;
    for (let n = 2; shared[name]; n++) name = `${base}${n}`;
    shared[name] = parameter;
    names.set(text, name);
  }
  for (const op of ops) {
    op.parameters = op.parameters?.map((parameter) => {
      const name = names.get(JSON.stringify(parameter));
      return name ? { $ref: `#/components/parameters/${name}` } : parameter;
    });
  }
  if (names.size) doc.components!.parameters = { ...doc.components!.parameters, ...shared };
  return doc;
}

const STATUS_TEXT: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'Done; no content',
  303: 'See Other: the browser is sent on',
  400: 'Bad request',
  503: 'Unavailable',
};

/** A response no schema described says what its status means, instead of "Default Response". */
function describeResponses(doc: OpenAPIV3.Document): OpenAPIV3.Document {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item ?? {}) as OpenAPIV3.OperationObject[]) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if ('description' in response && response.description === 'Default Response') response.description = STATUS_TEXT[status] ?? status;
      }
    }
  }
  return doc;
}
