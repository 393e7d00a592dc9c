/**
 * Whether a co-pilot is in the room right now: a peer whose awareness says `kind: 'ai'` (the agent
 * joins while it works on a job). Its cursor is drawn by the presence binding like anyone's; this
 * only lets the panel say "Co-pilot is drawing…".
 * Owns: nothing but this read. Must not touch: the awareness state itself, the editor.
 */
import { parseAwarenessState } from '@drawbridge/shared'
import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'

/** The names of the co-pilots present (usually none or one). */
function aiPeers(awareness: Awareness): string[] {
  const names: string[] = []
  for (const [clientId, raw] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const state = parseAwarenessState(raw)
    if (state?.user.kind === 'ai') names.push(state.user.name || 'Co-pilot')
  }
  return names
}

export function useAiPeers(awareness: Awareness): string[] {
  const [names, setNames] = useState(() => aiPeers(awareness))
  useEffect(() => {
    const update = () =>
      setNames((previous) => {
        const next = aiPeers(awareness)
        return next.join('\n') === previous.join('\n') ? previous : next
      })
    update()
    awareness.on('change', update)
    return () => awareness.off('change', update)
  }, [awareness])
  return names
}
