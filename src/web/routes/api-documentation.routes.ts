// The API documentation page: the OpenAPI document the API publishes (/api/v1/openapi.json),
// written out as a GOV.UK page, endpoint by endpoint, grouped by tag. Made from the same document,
// so it cannot drift from the API; served under the service's own Content-Security-Policy (no
// script, no inline style, nothing from another host).
import type { FastifyInstance } from 'fastify'
import type { Page } from '../page.ts'

interface Schema {
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  items?: Schema
  properties?: Record<string, Schema>
  required?: string[]
  anyOf?: Schema[]
  oneOf?: Schema[]
  nullable?: boolean
  description?: string
  minimum?: number
  maximum?: number
  maxLength?: number
}

interface Operation {
  tags?: string[]
  summary?: string
  description?: string
  security?: unknown[]
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, { description?: string }>
}

interface OpenApiDocument {
  info: { title: string; description?: string; version: string }
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '204': 'No content',
  '400': 'The request cannot be read',
  '401': 'No API token, or not a valid one',
  '404': 'No such record, or not one you may see',
  '409': 'A clash: already done, or changed by someone else',
  '422': 'What was sent is not valid: the errors say what and where',
  '429': 'Too many requests: try again after the Retry-After seconds',
}

/** A schema's type in words: "whole number", "text, one of a, b", "list of text". */
function typeOf(schema: Schema | undefined): string {
  if (!schema) return 'any JSON'
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) {
    const words = [...new Set(alternatives.map(typeOf))]
    return words.join(' or ')
  }
  if (schema.const !== undefined) return `exactly ${JSON.stringify(schema.const)}`
  const types = [schema.type ?? []].flat().filter((type) => type !== 'null')
  const nullable = schema.nullable || [schema.type ?? []].flat().includes('null')
  let word: string
  if (schema.enum) word = `one of ${schema.enum.map((value) => String(value)).join(', ')}`
  else if (types[0] === 'integer') word = 'whole number'
  else if (types[0] === 'number') word = 'number'
  else if (types[0] === 'boolean') word = 'true or false'
  else if (types[0] === 'array') word = `list of ${typeOf(schema.items)}`
  else if (types[0] === 'object') word = 'object'
  else if (types[0] === 'string') word = schema.format === 'date-time' ? 'ISO 8601 instant' : 'text'
  else word = 'any JSON'
  return nullable ? `${word}, or null` : word
}

function field(name: string, schema: Schema | undefined, required: boolean) {
  return { name, required, type: typeOf(schema), description: schema?.description ?? '' }
}

function anchor(method: string, path: string): string {
  return `${method}-${path}`
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
}

/** The page's view of the OpenAPI document: tags in order, each with its endpoints. */
export function apiDocumentation(document: OpenApiDocument) {
  const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
    METHODS.filter((method) => byMethod[method]).map((method) => {
      const operation = byMethod[method]!
      const body = operation.requestBody?.content?.['application/json']?.schema
      const required = new Set(body?.required ?? [])
      return {
        tag: operation.tags?.[0] ?? 'other',
        id: anchor(method, path),
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? '',
        description: operation.description ?? '',
        needsToken: (operation.security?.length ?? 0) > 0,
        parameters: (operation.parameters ?? []).map((p) => ({
          ...field(p.name, p.schema, p.required ?? false),
          in: p.in === 'path' ? 'in the path' : p.in === 'query' ? 'query' : p.in,
          description: p.description ?? p.schema?.description ?? '',
        })),
        body: body?.properties
          ? Object.entries(body.properties).map(([name, schema]) => field(name, schema, required.has(name)))
          : [],
        responses: Object.keys(operation.responses ?? {}).map((status) => ({
          status,
          text: STATUS_TEXT[status] ?? operation.responses?.[status]?.description ?? '',
        })),
      }
    }),
  )
  const tags = (document.tags ?? []).map((tag) => ({
    name: tag.name,
    id: `tag-${tag.name}`,
    description: tag.description ?? '',
    operations: operations.filter((operation) => operation.tag === tag.name),
  }))
  return {
    title: document.info.title,
    version: document.info.version,
    description: document.info.description ?? '',
    tags: tags.filter((tag) => tag.operations.length > 0),
  }
}

export function apiDocumentationRoutes(app: FastifyInstance, page: Page): void {
  app.get('/api-documentation', async (_request, reply) =>
    page(reply, 'api-documentation.njk', {
      pageTitle: 'API documentation',
      api: apiDocumentation(app.swagger() as unknown as OpenApiDocument),
    }),
  )
}
