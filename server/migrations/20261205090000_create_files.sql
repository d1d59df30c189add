-- Attachments of any module's records (a plan's documents, a task's photos, a field report's pictures): the bytes
-- are kept in the database so every instance serves them and a backup holds them. Who may read one is decided by the
-- owning record (the entity registry), never by the file.
create table files (
  id uuid primary key,
  entity text not null,
  entity_id text not null,
  name text not null,
  mime text not null,
  size integer not null check (size > 0),
  sha256 text not null,
  data bytea not null,
  uploaded_by uuid,
  uploaded_by_name text not null,
  uploaded_at timestamptz not null,
  deleted_at timestamptz
);
create index files_entity_idx on files (entity, entity_id, uploaded_at) where deleted_at is null;
