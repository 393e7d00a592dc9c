// Entry of the layout worker thread: TypeScript through tsx (registered here, whatever the
// parent's loader), then the thread's code.
import { register } from 'tsx/esm/api'

register()
await import('./layoutThread.ts')
