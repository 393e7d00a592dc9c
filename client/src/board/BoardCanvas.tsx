/**
 * The board: a tldraw editor whose store is bound to the room's Y.Doc, with presence, the
 * connection indicator, the view-only badge and the share links. Shown as soon as the device or
 * the server has the board's records: it opens at this device's last view of it (else fitted to
 * its content) with the records that view needs, and the rest arrive after the first frame.
 * A change of the person's own over the server's update limit is refused with a toast; when the
 * server refused what this device held (close code 4413), the board reopens from the server.
 */
import { MAX_SHAPES_PER_PAGE, type TLRecord } from '@drawbridge/shared'
import { useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import {
  atom,
  createTLStore,
  defaultBindingUtils,
  defaultShapeUtils,
  type Editor,
  type TLComponents,
  type TLStore,
  Tldraw,
} from 'tldraw'
import { authParams } from '../account/session'
import { appConfig, loadedConfig } from '../app/appConfig'
import { LoadingPage, MessagePage } from '../app/MessagePage'
import { themeClass } from '../app/theme'
import { ACCEPTED_IMAGE_TYPES, ACCEPTED_VIDEO_TYPES, BoardAssets } from '../assets/boardAssets'
import { DrawioDropHandler, DrawioMainMenu } from '../drawio/DrawioUi'
import { restoreVersion } from '../history/restoreVersion'
import { VersionPreview } from '../history/VersionPreview'
import type { Version } from '../history/versionsApi'
import type { LinkInfo } from '../offline/deviceStore'
import { deviceStore } from '../offline/deviceStore'
import { bindPresence } from '../presence/presenceBinding'
import { RoomConnection } from '../sync/roomConnection'
import { bindStoreToDoc, type DocBinding } from '../sync/storeBinding'
import { BoardChromeContext, BoardChromeSlot } from './BoardChrome'
import { BoardTitleSlot } from './BoardTitle'
import { preloadFontsOf, whenFontsLoaded } from './boardFonts'
import { BoardNotices } from './boardNotices'
import { useBoardTitle, useBoardTitleEffects } from './boardTitle'
import { putWithLabelsMeasured } from './labelMeasurement'
import { isolateTextMeasurement } from './measureIsolation'
import { isSavedView, type OpeningView, openingView } from './openingView'
import { boardShapeUtils } from './shapeUtils'
import { assetUrls } from './tldrawAssets'
import { afterNextPaint, rememberViews, showOpeningView } from './viewMemory'

const noop = () => {}

/** The main menu with draw.io export/import, fed from the board context. */
function MainMenuSlot() {
  const chrome = useContext(BoardChromeContext)
  return (
    <DrawioMainMenu
      title={chrome?.info.title ?? 'board'}
      canEdit={chrome ? !chrome.readOnly : false}
      loadAll={chrome?.loadAll ?? noop}
    />
  )
}

/** Invisible: routes draw.io files dropped on the canvas to the importer. */
function DropHandlerSlot() {
  const chrome = useContext(BoardChromeContext)
  return <DrawioDropHandler canEdit={chrome ? !chrome.readOnly : false} loadAll={chrome?.loadAll ?? noop} />
}

/** tldraw's UI slots, filled from the board context. */
const components: TLComponents = {
  SharePanel: BoardChromeSlot,
  TopPanel: BoardTitleSlot,
  MainMenu: MainMenuSlot,
  InFrontOfTheCanvas: DropHandlerSlot,
}

/** Boards hold more shapes per page than tldraw's default; the server's writers refuse past the same limit. */
const tldrawOptions = { maxShapesPerPage: MAX_SHAPES_PER_PAGE }

/** Keeps the tab title and the device's board list in step with the board's name. */
function BoardTitleSync({ info, doc }: { info: LinkInfo; doc: RoomConnection['doc'] }) {
  useBoardTitleEffects(info.linkId, useBoardTitle(doc, info.title))
  return null
}

interface OpenBoard {
  connection: RoomConnection
  store: TLStore
  binding: DocBinding
  /** Uploads and offline copies of the board's images and videos. */
  assets: BoardAssets
  /** Where the board opens (undefined: a board without pages, left to tldraw). */
  opening: OpeningView | undefined
  /** Messages for the person from the binding and the reopening, shown as toasts by the chrome. */
  notices: BoardNotices
}

declare global {
  interface Window {
    /** Test hook: the live editor and doc of the open board (used by the browser tests). */
    __drawbridge?: { editor: Editor; connection: RoomConnection; waiting: () => number }
  }
}

/** Toasts for the refusals of the store binding and the connection share one key: one toast at a time. */
const TOO_LARGE_NOTICE = 'update-too-large'

/** Why the board was opened again: the server refused what this device held (see RoomConnection). */
interface Reopening {
  message: string
}

/**
 * The open board: a connection, a store bound to its doc. A new `reopening` drops the old
 * connection and doc, opens the board again from the server and says why in a toast.
 */
function useOpenBoard(info: LinkInfo, reopening: Reopening | undefined): OpenBoard | undefined {
  const [board, setBoard] = useState<OpenBoard>()
  useEffect(() => {
    let cancelled = false
    const notices = new BoardNotices()
    if (reopening) notices.show({ key: TOO_LARGE_NOTICE, message: reopening.message })
    const connection = new RoomConnection(info.linkId, info.roomId, authParams())
    let binding: DocBinding | undefined
    const assets = new BoardAssets({ linkId: info.linkId, roomId: info.roomId })
    // The server's update limit comes with the config, which the link's resolution already loaded.
    void Promise.all([connection.ready, appConfig()]).then(([source, config]) => {
      if (cancelled) return
      performance.mark('drawbridge:doc-ready', { detail: source })
      // tldraw's people menu swaps itself for its offline indicator while this says 'offline': it
      // follows our socket from the start (the first sync may already have connected it).
      const isOnline = () => connection.getSnapshot().status === 'connected'
      const status = atom<'online' | 'offline'>('status', isOnline() ? 'online' : 'offline')
      const mode = atom<'readonly' | 'readwrite'>('mode', 'readwrite')
      const store = createTLStore({
        shapeUtils: defaultShapeUtils,
        bindingUtils: defaultBindingUtils,
        collaboration: { status, mode },
        assets: assets.store,
      })
      const saved = deviceStore.view(info.roomId)
      const screen = { w: window.innerWidth, h: window.innerHeight }
      let opening: OpeningView | undefined
      binding = bindStoreToDoc(store, connection.doc, {
        canWrite: info.role === 'editor',
        maxUpdateBytes: config.maxUpdateBytes,
        onRefused: (message) => notices.show({ key: TOO_LARGE_NOTICE, message }),
        firstView: (records) => {
          opening = openingView(records, isSavedView(saved) ? saved : undefined, screen)
          return opening
        },
      })
      performance.mark('drawbridge:store-loaded')
      preloadFontsOf(binding.waitingRecords())
      const readOnly = info.role !== 'editor' || binding.schema === 'newer'
      mode.set(readOnly ? 'readonly' : 'readwrite')
      connection.subscribe(() => status.set(isOnline() ? 'online' : 'offline'))
      setBoard({ connection, store, binding, assets, opening, notices })
    })
    return () => {
      cancelled = true
      binding?.dispose()
      assets.dispose()
      connection.destroy()
      setBoard(undefined)
    }
  }, [info.linkId, info.roomId, info.role, reopening])
  return board
}

export function BoardCanvas({ info }: { info: LinkInfo }) {
  const [reopening, setReopening] = useState<Reopening>()
  const board = useOpenBoard(info, reopening)
  const snapshot = useSyncExternalStore(
    board?.connection.subscribe ?? (() => () => {}),
    board?.connection.getSnapshot ?? (() => undefined),
  )
  const reset = snapshot?.reset
  useEffect(() => {
    // The server refused what this device held, and the device's copy is gone: open it afresh.
    if (reset) setReopening({ message: reset })
  }, [reset])
  const readOnly = info.role !== 'editor' || board?.binding.schema === 'newer'
  const [preview, setPreview] = useState<{ version: Version; records: TLRecord[] }>()
  const [editor, setEditor] = useState<Editor>()
  const chrome = useMemo(
    () =>
      board
        ? {
            info,
            connection: board.connection,
            readOnly,
            onPreview: (version: Version, records: TLRecord[]) => setPreview({ version, records }),
            loadAll: () => board.binding.loadAll(),
            notices: board.notices,
          }
        : undefined,
    [board, info, readOnly],
  )

  if (snapshot?.fatal) return <MessagePage title="Link no longer valid" body={snapshot.fatal} />
  if (!board) return <LoadingPage />

  const onMount = (editor: Editor) => {
    performance.mark('drawbridge:editor-mounted')
    const stopIsolating = isolateTextMeasurement(editor)
    board.binding.putThrough((records, put) => putWithLabelsMeasured(editor, records, put))
    if (board.opening) showOpeningView(editor, board.opening)
    const stopRemembering = rememberViews(editor, info.roomId)
    // The shapes still to come go in once their labels' fonts are loaded, so they are measured in them.
    whenFontsLoaded(editor, board.binding.waitingRecords(), () => {
      performance.mark('drawbridge:fonts-loaded')
      void board.binding.loadRest(afterNextPaint).then(() => performance.mark('drawbridge:board-loaded'))
      void afterNextPaint().then(() => board.connection.boardShown())
    })
    if (readOnly) editor.updateInstanceState({ isReadonly: true })
    const name = editor.user.getName()
    if (!name || name === 'New User') {
      editor.user.updateUserPreferences({ name: `Guest ${Math.floor(1000 + Math.random() * 9000)}` })
    }
    const stopPresence = bindPresence(editor, board.connection.provider.awareness)
    // Files added offline go up once the server is reachable again.
    const stopUploads = readOnly
      ? () => {}
      : board.assets.startUploading(editor, (listener) =>
          board.connection.subscribe(() => {
            if (board.connection.getSnapshot().status === 'connected') listener()
          }),
        )
    window.__drawbridge = { editor, connection: board.connection, waiting: board.binding.waiting }
    setEditor(editor)
    return () => {
      stopIsolating()
      board.binding.putThrough((_records, put) => put())
      stopRemembering()
      stopPresence()
      stopUploads()
      if (window.__drawbridge?.editor === editor) window.__drawbridge = undefined
    }
  }

  return (
    <div className={`board ${themeClass()}`} data-testid="board">
      {board.binding.schema === 'newer' && (
        <div className="board-notice" role="status">
          This board was saved by a newer version of Drawbridge. It is open read-only: reload to update.
        </div>
      )}
      <BoardTitleSync info={info} doc={board.connection.doc} />
      <BoardChromeContext.Provider value={chrome}>
        <Tldraw
          store={board.store}
          shapeUtils={boardShapeUtils}
          assetUrls={assetUrls}
          licenseKey={loadedConfig()?.tldrawLicenseKey}
          components={components}
          options={tldrawOptions}
          acceptedImageMimeTypes={ACCEPTED_IMAGE_TYPES}
          acceptedVideoMimeTypes={ACCEPTED_VIDEO_TYPES}
          onMount={onMount}
          autoFocus
        />
      </BoardChromeContext.Provider>
      {preview && (
        <VersionPreview
          key={preview.version.id}
          version={preview.version}
          records={preview.records}
          onClose={() => setPreview(undefined)}
          onRestore={
            !readOnly && editor
              ? () => {
                  // A restore compares with the whole board: the part not loaded yet goes in first.
                  board.binding.loadAll()
                  restoreVersion(editor, preview.records)
                  setPreview(undefined)
                }
              : undefined
          }
        />
      )}
    </div>
  )
}
