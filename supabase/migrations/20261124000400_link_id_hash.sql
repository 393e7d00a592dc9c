-- Links are looked up by the SHA-256 of their id, so the database compares digests, not the
-- capability itself: how long a look-up takes says nothing about how close a guess was.
-- (Link ids are URL-safe base64, so the text → bytea cast is exactly their ASCII bytes.)
alter table room_links
  add column if not exists id_hash text generated always as (encode(sha256(id::bytea), 'hex')) stored;
create unique index if not exists room_links_id_hash_idx on room_links (id_hash);
