// Input no database can take, refused before any route reads it: a NUL character (PostgreSQL
// stores none, and refuses the whole query) or half of a surrogate pair (not text at all, in
// UTF-8 or in jsonb), in a path parameter, the query, a header or the body.

// eslint-disable-next-line no-control-regex
const UNREADABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export type RequestPart = 'params' | 'query' | 'headers' | 'body'

/** A request refused for what it holds: 400 for its address and headers, 422 for a body. */
export class UnreadableInputError extends Error {
  readonly statusCode: number
  /** The parameter, query key, header or body path (a.b.0) that holds it. */
  readonly field: string
  constructor(
    readonly part: RequestPart,
    field: string,
  ) {
    super('has a character that cannot be read')
    this.name = 'UnreadableInputError'
    this.field = field.replace(new RegExp(UNREADABLE.source, 'g'), '\ufffd')
    this.statusCode = part === 'body' ? 422 : 400
  }
}

export function isUnreadable(text: string): boolean {
  return UNREADABLE.test(text)
}

/**
 * The path (as a.b.0) of the first key or string in the value that cannot be read, if any. Walks
 * without recursion, so a deeply nested JSON body cannot exhaust the stack.
 */
export function unreadablePath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']]
  while (stack.length > 0) {
    const [item, path] = stack.pop()!
    if (typeof item === 'string') {
      if (isUnreadable(item)) return path
    } else if (Array.isArray(item)) {
      item.forEach((v, i) => stack.push([v, path ? `${path}.${i}` : String(i)]))
    } else if (item !== null && typeof item === 'object') {
      for (const [key, v] of Object.entries(item)) {
        const at = path ? `${path}.${key}` : key
        if (isUnreadable(key)) return at
        stack.push([v, at])
      }
    }
  }
  return undefined
}

/** Throws when the request's parameters, query or headers hold anything unreadable. */
export function refuseUnreadableAddress(request: {
  params: unknown
  query: unknown
  headers: Record<string, unknown>
}): void {
  for (const part of ['params', 'query', 'headers'] as const) {
    const field = unreadablePath(request[part])
    if (field !== undefined) throw new UnreadableInputError(part, field || part)
  }
}

/** Throws when the parsed body holds anything unreadable. */
export function refuseUnreadableBody(body: unknown): void {
  const field = unreadablePath(body)
  if (field !== undefined) throw new UnreadableInputError('body', field || 'body')
}
