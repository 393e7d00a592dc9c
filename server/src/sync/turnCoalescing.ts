/**
 * Frames sent to one socket during one turn of the event loop leave together: a corked socket is
 * uncorked at the end of the turn (the check phase, right after the poll phase that read the frames
 * being relayed). A socket that several updates reach in one turn then costs one `writev` instead of
 * one per frame — the syscall is most of a delivery's CPU. A frame waits at most for the rest of the
 * turn that produced it. A broadcast corks only when it is not its room's first of the turn
 * (`RepeatsThisTurn`): a frame that is alone in its turn, as most are at a light load, goes out at
 * once and spends nothing on the cork. Owns: the set of corked sockets and the turn count. Must not
 * touch: what is sent.
 */
import { TurnBatch } from '../turnBatch'

/** A socket that can be corked for the rest of this turn. */
export interface TurnWriter {
  cork(): void
  /** Uncorks: what was written during the turn is handed to the kernel. */
  endTurn(): void
}

/** The sockets corked this turn, each uncorked once when the turn ends. */
const corked = new TurnBatch<TurnWriter>(
  (writers) => {
    for (const writer of writers) writer.endTurn()
  },
  { unique: true },
)

/** Corks `writer` until this turn ends (once per turn, however often it is called). */
export function holdForThisTurn(writer: TurnWriter): void {
  if (corked.add(writer)) writer.cork()
}

/** Turns of the event loop counted so far: the count moves on at the end of a turn someone asked in. */
let turn = 0
let turnEndScheduled = false
const endTurn = (): void => {
  turn++
  turnEndScheduled = false
}

function currentTurn(): number {
  if (!turnEndScheduled) {
    turnEndScheduled = true
    setImmediate(endTurn)
  }
  return turn
}

/** Tells, for something that happens again and again (a room's broadcasts), whether it already happened this turn. */
export class RepeatsThisTurn {
  private lastTurn = -1

  /** Records one more time; true when this is not the first in the current turn. */
  again(): boolean {
    const now = currentTurn()
    const repeated = this.lastTurn === now
    this.lastTurn = now
    return repeated
  }
}
