-- The AI co-pilot: plans and their limits, the durable request queue, metered model calls, and
-- agent links (short-lived capabilities the server issues to its own agent peer).

-- Plans (docs/architecture.md, "Plans"). `priority`: lower runs first; ageing lets waiting jobs overtake.
create table if not exists plans (
  name text primary key,
  per_day integer not null check (per_day >= 0),
  per_hour integer not null check (per_hour >= 0),
  concurrent integer not null check (concurrent >= 0),
  priority integer not null
);
insert into plans (name, per_day, per_hour, concurrent, priority) values
  ('free', 10, 5, 1, 30),
  ('basic', 100, 20, 2, 20),
  ('pro', 500, 100, 5, 10),
  ('enterprise', 5000, 1000, 20, 0)
on conflict (name) do nothing;

-- Which plan a signed-in user is on; everyone else (and anonymous link holders) is on `free`.
create table if not exists user_plans (
  user_id uuid primary key,
  plan text not null references plans (name),
  updated_at timestamptz not null default now()
);

-- The queue. `requester` is whom the limits count: `user:<uuid>`, or `anon:<room>:<ip>`.
create table if not exists ai_jobs (
  id uuid primary key,
  room_id uuid not null references rooms (id) on delete cascade,
  user_id uuid,
  requester text not null check (char_length(requester) <= 200),
  author_name text not null default '' check (char_length(author_name) <= 64),
  plan text not null references plans (name),
  prompt text not null check (char_length(prompt) <= 300000),
  selection jsonb not null default '[]'::jsonb,
  -- A file sent with the request (text, Markdown, .mmd, CSV edge list): { name, text }.
  attachment jsonb,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  priority integer not null,
  attempts integer not null default 0,
  -- Which instance holds a running job, and until when; an expired lease is claimable again.
  claimed_by text,
  lease_until timestamptz,
  error text,
  -- What the job changed: created record ids and the records it replaced (for "Undo this").
  result jsonb,
  shapes integer not null default 0,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index if not exists ai_jobs_queue_idx on ai_jobs (status, created_at);
create index if not exists ai_jobs_requester_idx on ai_jobs (requester, created_at);
create index if not exists ai_jobs_room_idx on ai_jobs (room_id, created_at);

-- One row per model call (successful or not), for metering and the usage report.
create table if not exists usage_records (
  id bigserial primary key,
  job_id uuid references ai_jobs (id) on delete set null,
  room_id uuid references rooms (id) on delete set null,
  user_id uuid,
  model text not null,
  tokens_in integer not null default 0,
  tokens_out integer not null default 0,
  cost_usd numeric(12, 6) not null default 0,
  success boolean not null,
  latency_ms integer not null,
  error text,
  created_at timestamptz not null default now()
);
create index if not exists usage_records_created_idx on usage_records (created_at);
create index if not exists usage_records_user_idx on usage_records (user_id, created_at);
create index if not exists usage_records_room_idx on usage_records (room_id, created_at);

-- Links the server issues to its agent are not share links: they never show in the owner's list
-- and admit the agent to private rooms (the request that queued the job was already authorised).
alter table room_links add column if not exists purpose text not null default 'share';
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'room_links_purpose_check') then
    alter table room_links add constraint room_links_purpose_check check (purpose in ('share', 'agent'));
  end if;
end
$$;

alter table plans enable row level security;
alter table user_plans enable row level security;
alter table ai_jobs enable row level security;
alter table usage_records enable row level security;
grant select, insert, update, delete on plans, user_plans, ai_jobs, usage_records to anon, authenticated;
grant usage, select on all sequences in schema public to anon, authenticated;

drop policy if exists plans_read on plans;
create policy plans_read on plans for select to anon, authenticated using (true);
drop policy if exists user_plans_own on user_plans;
create policy user_plans_own on user_plans for select to authenticated using (user_id = auth.uid());
drop policy if exists ai_jobs_member_read on ai_jobs;
-- Only one's own requests: a row's `requester` holds an anonymous person's IP address, and prompts
-- and attachments are theirs; the room sees the conversation through the document's chat instead.
create policy ai_jobs_member_read on ai_jobs for select to authenticated using (user_id = auth.uid());
drop policy if exists usage_records_own on usage_records;
create policy usage_records_own on usage_records for select to authenticated
  using (user_id = auth.uid() or (room_id is not null and public.is_room_owner(room_id)));
