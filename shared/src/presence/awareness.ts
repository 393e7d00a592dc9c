/**
 * The awareness state every peer publishes (docs/architecture.md, "Presence"), validated with zod because it comes
 * from other peers. Must not touch: tldraw's store, sockets.
 */
import { z } from 'zod'

export const PeerKind = z.enum(['human', 'ai'])
export type PeerKind = z.infer<typeof PeerKind>

export const AwarenessUser = z.object({
  id: z.string().min(1).max(128),
  name: z.string().max(64),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  kind: PeerKind,
})
export type AwarenessUser = z.infer<typeof AwarenessUser>

const Box = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  w: z.number().finite(),
  h: z.number().finite(),
})

export const AwarenessState = z.object({
  user: AwarenessUser,
  cursor: z.object({ x: z.number().finite(), y: z.number().finite() }).nullable(),
  pageId: z.string().max(128),
  selection: z.array(z.string().max(128)).max(10_000),
  /** Optional extras that let others follow this peer's viewport. */
  camera: z.object({ x: z.number().finite(), y: z.number().finite(), z: z.number().finite() }).optional(),
  screenBounds: Box.optional(),
})
export type AwarenessState = z.infer<typeof AwarenessState>

/** Parses a remote peer's awareness state; undefined when it is not a Drawbridge presence. */
export function parseAwarenessState(value: unknown): AwarenessState | undefined {
  const result = AwarenessState.safeParse(value)
  return result.success ? result.data : undefined
}
