/** Messages between the fan-out benchmark and its load-generator children (IPC). */

export interface LoadgenConfig {
  /** Servers to connect to: a room's clients are spread over them in turn (several instances). */
  baseUrls: string[]
  /** Link ids (ours) or room names (reference). */
  rooms: string[]
  clientsPerRoom: number
  /** Write the seeded room content from the first client (the reference server does not seed). */
  seedRooms: boolean
  /** Lean generator: moves pre-encoded per client (enough for warm-up + window). */
  sendsPerClient?: number
}

export interface LoadgenStart {
  type: 'start'
  /** Wall-clock ms at which clients start sending (each at a random phase within the first second). */
  startAt: number
  warmupMs: number
  measureMs: number
  /** Time after the window for late arrivals before reporting. */
  drainMs: number
}

export interface LoadgenReport {
  type: 'done'
  /** Latencies in ms, base64 of a Float64Array. */
  samples: string
  /** Updates sent in the window. */
  sent: number
  cpuMs: number
  windowMs: number
  loopDelayP99Ms: number
}

export type LoadgenMessage = { type: 'ready' } | LoadgenReport
