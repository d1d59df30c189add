-- A level's basis kept as facts (rule names in both languages, the criterion that decided), so it is shown in the
-- reader's language; level_basis keeps the Chinese sentence for the audit trail and rows written before.
alter table incidents add column level_basis_data jsonb;
