/** Entry point: mount the app and register the service worker (offline support). */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './app/styles.css'
import './board/board.css'
import './copilot/copilot.css'
import { App } from './app/App'
import { registerServiceWorker } from './offline/serviceWorker'

const root = document.getElementById('root')
if (!root) throw new Error('missing #root')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
registerServiceWorker()
