-- What an MCP client (issue 21) drew or edited on a board is kept as a finished `ai_jobs` row of
-- kind 'mcp': its `result` holds the created ids and replaced records, so the chat's "Undo this"
-- and the session's `undo_last` take it back exactly like a co-pilot job. Such rows are written
-- as 'succeeded' and never queued, so no worker claims them.
alter table ai_jobs add column if not exists kind text not null default 'copilot';
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'ai_jobs_kind_check') then
    alter table ai_jobs add constraint ai_jobs_kind_check check (kind in ('copilot', 'mcp'));
  end if;
end
$$;
