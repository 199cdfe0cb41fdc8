#!/usr/bin/env node
// Entry point for `npx masteryhub <command>`: checks the Node.js version, then runs the TypeScript
// sources through tsx's loader.
import { register } from 'tsx/esm/api'
import { assertSupportedNode } from '../scripts/node-version.js'

assertSupportedNode()
register()
const { main } = await import('../src/main.ts')
await main(process.argv.slice(2))
// A command that failed has said why: nothing left open (a timer, a socket) may keep it waiting.
if (process.exitCode) process.exit()
