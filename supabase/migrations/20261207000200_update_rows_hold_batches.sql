-- A stored row may hold a batch of updates as they arrived instead of one merged update: merging a
-- window's updates (decoding and re-encoding every item) was the server's largest per-update cost
-- under fan-out. `update_count` 1 is one Yjs update, as before; n > 1 is n updates, each
-- length-prefixed (a lib0 varUint8Array). Rows written before this have 1.
alter table doc_updates add column if not exists update_count integer not null default 1;
alter table doc_update_quarantine add column if not exists update_count integer not null default 1;
do $$
begin
  if not exists (select 1 from pg_constraint where conname = 'doc_updates_update_count_check') then
    alter table doc_updates add constraint doc_updates_update_count_check check (update_count >= 1);
  end if;
end
$$;
