/**
 * This person's side of the co-pilot in this tab: sending prompts, following the jobs they sent
 * (jobEvents), the last error, and the plan's remaining quota (refreshed when it can have changed).
 * Owns: that state. Must not touch: the doc (the server writes the chat), the editor.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import {
  type Attachment,
  copilotApi,
  type Job,
  type PageBox,
  type Quota,
  type RequestContext,
} from './copilotApi'
import { isFinished, watchJob } from './jobEvents'

export interface CopilotError {
  cause: unknown
  /** When it happened (ms), so a retry delay can count down. */
  at: number
}

export interface CopilotJobs {
  /** Jobs sent from this tab: unfinished ones, then the last finished one until the next send. */
  jobs: Job[]
  sending: boolean
  error: CopilotError | undefined
  quota: Quota | undefined
  send(prompt: string, selection: string[], attachment?: Attachment): Promise<boolean>
  refreshQuota(): void
}

/** What the panel adds to each request, and hears about each drawing. */
export interface CopilotSurroundings {
  /** Where the person looks and their presence name, read when they send. */
  describe(): Pick<RequestContext, 'viewport' | 'authorName'>
  /** One of their jobs drew something, there. */
  onDrawn(bounds: PageBox): void
}

export function useCopilotJobs(
  linkId: string,
  canEdit: boolean,
  open: boolean,
  surroundings: CopilotSurroundings,
): CopilotJobs {
  const around = useRef(surroundings)
  around.current = surroundings
  const [jobs, setJobs] = useState<Job[]>([])
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<CopilotError>()
  const [quota, setQuota] = useState<Quota>()
  const stops = useRef(new Map<string, () => void>())

  const refreshQuota = useCallback(() => {
    if (!canEdit) return
    void copilotApi.quota(linkId).then(setQuota, () => setQuota(undefined))
  }, [linkId, canEdit])

  useEffect(() => {
    if (open) refreshQuota()
  }, [open, refreshQuota])

  useEffect(() => {
    const watching = stops.current
    return () => {
      for (const stop of watching.values()) stop()
      watching.clear()
    }
  }, [])

  const follow = useCallback(
    (job: Job) => {
      const stop = watchJob(job, linkId, (next) => {
        setJobs((current) => current.map((candidate) => (candidate.id === next.id ? next : candidate)))
        if (isFinished(next)) {
          stops.current.delete(next.id)
          refreshQuota()
          if (next.status === 'succeeded' && next.bounds) around.current.onDrawn(next.bounds)
        }
      })
      stops.current.set(job.id, stop)
    },
    [linkId, refreshQuota],
  )

  const send = useCallback(
    async (prompt: string, selection: string[], attachment?: Attachment) => {
      setSending(true)
      setError(undefined)
      try {
        const accepted = await copilotApi.send(linkId, prompt, {
          selection,
          attachment,
          ...around.current.describe(),
        })
        const job: Job = { id: accepted.jobId, status: 'queued', position: accepted.position }
        setJobs((current) => [...current.filter((candidate) => !isFinished(candidate)), job])
        follow(job)
        return true
      } catch (caught) {
        setError({ cause: caught, at: Date.now() })
        return false
      } finally {
        setSending(false)
        refreshQuota()
      }
    },
    [linkId, follow, refreshQuota],
  )

  return { jobs, sending, error, quota, send, refreshQuota }
}
