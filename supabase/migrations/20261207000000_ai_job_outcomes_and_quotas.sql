-- The co-pilot's honest outcomes and fair quotas (docs/ai.md "Limits"):
-- * a job that drew nothing ends as `nothing`, with a reason code (`needs-model`, `unreadable`,
--   `nothing-to-draw`, `answered`), not as a success;
-- * `metered`: whether the job counts against the plan's model quota (false for requests the
--   built-in planner answers, and refunded when a job ends without calling a model); failed jobs
--   never count;
-- * `quota_key`: whom the address-wide limits count (`user:<uuid>`, or `ip:<address>` for anonymous
--   link holders, across every board);
-- * `viewport`: where the requester was looking ({ pageId, x, y, w, h } in page space), so the
--   drawing lands there.
alter table ai_jobs drop constraint if exists ai_jobs_status_check;
alter table ai_jobs add constraint ai_jobs_status_check
  check (status in ('queued', 'running', 'succeeded', 'failed', 'nothing'));
alter table ai_jobs add column if not exists reason text check (char_length(reason) <= 40);
alter table ai_jobs add column if not exists metered boolean not null default true;
alter table ai_jobs add column if not exists quota_key text check (char_length(quota_key) <= 200);
update ai_jobs set quota_key = requester where quota_key is null;
alter table ai_jobs alter column quota_key set not null;
alter table ai_jobs add column if not exists viewport jsonb;
create index if not exists ai_jobs_quota_key_idx on ai_jobs (quota_key, created_at);
