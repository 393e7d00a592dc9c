// Entry of the PGlite host's database thread: TypeScript through tsx (a thread does not inherit its
// process's loader), then the thread's code.
import { register } from 'tsx/esm/api'

register()
await import('./hostWorker.ts')
