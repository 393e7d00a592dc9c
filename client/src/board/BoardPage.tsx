/** `/r/<linkId>`: resolve the link, then show the board, or say plainly why not. */
import { useEffect, useState } from 'react'
import { LoadingPage, MessagePage } from '../app/MessagePage'
import { deviceStore } from '../offline/deviceStore'
import { BoardCanvas } from './BoardCanvas'
import { type LinkState, resolveLink } from './linkInfo'

export function BoardPage({ linkId }: { linkId: string }) {
  const [state, setState] = useState<LinkState>({ status: 'loading' })
  useEffect(() => {
    let cancelled = false
    void resolveLink(linkId).then((next) => {
      if (cancelled) return
      if (next.status === 'ready') {
        deviceStore.rememberBoard({
          linkId,
          title: next.info.title,
          role: next.info.role,
          openedAt: Date.now(),
        })
      }
      setState(next)
    })
    return () => {
      cancelled = true
    }
  }, [linkId])

  switch (state.status) {
    case 'loading':
      return <LoadingPage />
    case 'invalid':
      return <MessagePage title={state.title} body={state.reason} />
    case 'error':
      return <MessagePage title="Cannot open this board" body={state.reason} />
    case 'ready':
      return <BoardCanvas info={state.info} />
    default: {
      const unreachable: never = state
      return unreachable
    }
  }
}
