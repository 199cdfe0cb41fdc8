// What every email shares: the service's name, the greeting and sign-off, and values kept to one
// line. Each area writes its own emails (domain/<area>/<area>.emails.ts) with these.
export const SERVICE_NAME = 'Maths Hubs: Teaching for Mastery'

export interface RenderedEmail {
  subject: string
  text: string
}

/** A value on one line: line breaks and other control characters become spaces. */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
}

/** "Dear name," then the paragraphs, then the service's name. */
export function body(name: string, paragraphs: string[]): string {
  return [`Dear ${oneLine(name)},`, ...paragraphs, SERVICE_NAME].join('\n\n') + '\n'
}
