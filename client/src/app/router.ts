/** The app's two routes, read from the location and changed with the History API. */
import { useEffect, useState } from 'react'

export type Route = { page: 'landing' } | { page: 'board'; linkId: string } | { page: 'not-found' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'landing' }
  const board = pathname.match(/^\/r\/([A-Za-z0-9_-]{8,64})\/?$/)
  if (board) return { page: 'board', linkId: board[1]! }
  return { page: 'not-found' }
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname))
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname))
    window.addEventListener('popstate', update)
    return () => window.removeEventListener('popstate', update)
  }, [])
  return route
}
