export function requiredNodeMajor(): number
export function unsupportedNodeMessage(version: string, required?: number): string | undefined
export function assertSupportedNode(): void
