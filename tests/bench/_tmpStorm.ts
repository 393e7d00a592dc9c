import { benchFanoutOurs, benchFanoutReference, FANOUT_DEFAULTS } from '/work/main/tests/bench/fanout/fanout'
process.setMaxListeners(0)
const backend = (process.argv[2] ?? 'pglite') as 'pglite' | 'postgres'
const rooms = Number(process.argv[3] ?? 1)
const clients = Number(process.argv[4] ?? 200)
const opts = { ...FANOUT_DEFAULTS, warmupMs: 5000, measureMs: 15000, rooms, clientsPerRoom: clients, loadGenerators: 1, generator: 'lean' as const }
const r = backend === ('reference' as string) ? await benchFanoutReference(opts) : await benchFanoutOurs(backend, opts)
console.log(JSON.stringify(r))
process.exit()
