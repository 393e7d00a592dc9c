/**
 * Frames sent to one socket during one turn of the event loop leave together: the first send of a
 * turn corks the socket, and every corked socket is uncorked at the end of the turn (the check
 * phase, right after the poll phase that read the frames being relayed). A socket that several
 * updates reach in one turn then costs one `writev` instead of one per frame — the syscall is most
 * of a delivery's CPU. A frame waits at most for the rest of the turn that produced it. Owns: the
 * set of corked sockets. Must not touch: what is sent.
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
