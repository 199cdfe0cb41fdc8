#!/usr/bin/env node
// Entry point for `npx masteryhub <command>`: checks the Node.js version, then runs the TypeScript
// sources through tsx's loader.
import { register } from 'tsx/esm/api'
import { assertSupportedNode } from '../scripts/node-version.js'

assertSupportedNode()
register()
const { main } = await import('../src/main.ts')
await main(process.argv.slice(2))
