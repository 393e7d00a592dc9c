/**
 * What this device remembers between visits, in localStorage: each link's room and role (so a
 * board reloads offline), the boards opened here, and the owner keys of boards created here.
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
