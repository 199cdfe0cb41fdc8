// One mailbox can be spelt many ways: any case, a "+tag" after the name, and at Gmail any dots in
// the name (gmail.com and googlemail.com are one provider). canonicalEmail folds them to one
// spelling, so "is this the same person's mailbox?" is one comparison. It is for comparing only:
// email is always sent to the address as it was given.

/** Providers that ignore dots in the name, with the domain they are one with. */
const DOTLESS_DOMAINS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' }

export function canonicalEmail(address: string): string {
  const folded = address.trim().toLowerCase()
  const at = folded.lastIndexOf('@')
  if (at < 0) return folded
  let name = folded.slice(0, at)
  let domain = folded.slice(at + 1)
  const plus = name.indexOf('+')
  if (plus >= 0) name = name.slice(0, plus)
  const dotless = DOTLESS_DOMAINS[domain]
  if (dotless) {
    name = name.replaceAll('.', '')
    domain = dotless
  }
  return `${name}@${domain}`
}

/** Whether two addresses reach the same mailbox, however each is spelt. */
export function sameMailbox(a: string, b: string): boolean {
  return canonicalEmail(a) === canonicalEmail(b)
}
