#!/usr/bin/env node
// Entry point for `npx masteryhub <command>`: runs the TypeScript sources through tsx's loader.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
await main(process.argv.slice(2))
