/** The app shell: picks the page for the current route. */
import { BoardPage } from '../board/BoardPage'
import { LandingPage } from '../landing/LandingPage'
import { MessagePage } from './MessagePage'
import { useRoute } from './router'

export function App() {
  const route = useRoute()
  switch (route.page) {
    case 'landing':
      return <LandingPage />
    case 'board':
      return <BoardPage key={route.linkId} linkId={route.linkId} />
    case 'not-found':
      return <MessagePage title="Page not found" body="There is nothing at this address." />
    default: {
      const unreachable: never = route
      return unreachable
    }
  }
}
