/**
 * What this device remembers between visits, in localStorage: each link's room and role (so a
 * board reloads offline), the boards opened here, the owner keys of boards created here, which
 * rooms have a copy in this device's IndexedDB, and the last view of each board (page and camera,
 * so it reopens there and loads that part first).
 */
import type { CreateRoomReply, LinkInfoReply, Role } from '@drawbridge/shared'

/**
 * A link as `GET /api/links/<id>` resolved it (`owner`: the signed-in account owns the board, so it
 * can manage it from any device; absent in what older clients remembered).
 */
export type LinkInfo = Pick<LinkInfoReply, 'roomId' | 'role' | 'title'> & {
  linkId: string
  owner?: boolean
}

/** A board created on this device: `POST /api/rooms`'s answer, owner key included. */
export type OwnedRoom = CreateRoomReply

export interface BoardOnDevice {
  linkId: string
  title: string
  role: Role
  openedAt: number
}

const LINK_KEY = (linkId: string) => `drawbridge:link:${linkId}`
const OWNED_KEY = (roomId: string) => `drawbridge:owned:${roomId}`
const VIEW_KEY = (roomId: string) => `drawbridge:view:${roomId}`
const COPY_KEY = (roomId: string) => `drawbridge:copy:${roomId}`
const BOARDS_KEY = 'drawbridge:boards'
const MAX_BOARDS = 50

function read<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(key)
    return raw === null ? undefined : (JSON.parse(raw) as T)
  } catch {
    return undefined
  }
}

function write(key: string, value: unknown): void {
  localStorage.setItem(key, JSON.stringify(value))
}

export const deviceStore = {
  link: (linkId: string) => read<LinkInfo>(LINK_KEY(linkId)),
  rememberLink: (info: LinkInfo) => write(LINK_KEY(info.linkId), info),
  forgetLink(linkId: string) {
    localStorage.removeItem(LINK_KEY(linkId))
    write(
      BOARDS_KEY,
      deviceStore.boards().filter((board) => board.linkId !== linkId),
    )
  },
  owned: (roomId: string) => read<OwnedRoom>(OWNED_KEY(roomId)),
  /** Whether this device has kept a copy of the room's doc (y-indexeddb) on an earlier visit. */
  hasCopy: (roomId: string) => read<boolean>(COPY_KEY(roomId)) === true,
  rememberCopy(roomId: string) {
    if (!deviceStore.hasCopy(roomId)) write(COPY_KEY(roomId), true)
  },
  /** The last view of a board, unchecked: see `isSavedView` before trusting it. */
  view: (roomId: string) => read<unknown>(VIEW_KEY(roomId)),
  rememberView(roomId: string, view: { pageId: string; x: number; y: number; z: number }) {
    try {
      write(VIEW_KEY(roomId), view)
    } catch {
      // A full storage loses only where the board reopens.
    }
  },
  rememberOwned: (room: OwnedRoom) => write(OWNED_KEY(room.roomId), room),
  boards: (): BoardOnDevice[] => read<BoardOnDevice[]>(BOARDS_KEY) ?? [],
  rememberBoard(board: BoardOnDevice) {
    const others = deviceStore.boards().filter((existing) => existing.linkId !== board.linkId)
    write(BOARDS_KEY, [board, ...others].slice(0, MAX_BOARDS))
  },
  /** A rename seen on the open board: the list keeps its place and its last-opened time. */
  renameBoard(linkId: string, title: string) {
    const boards = deviceStore.boards()
    if (!boards.some((board) => board.linkId === linkId && board.title !== title)) return
    write(
      BOARDS_KEY,
      boards.map((board) => (board.linkId === linkId ? { ...board, title } : board)),
    )
  },
}
