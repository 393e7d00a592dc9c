// Entry of the PGlite host process: TypeScript through tsx (registered here, whatever the parent's
// loader), then the host's code.
import { register } from 'tsx/esm/api'

register()
await import('./hostMain.ts')
