-- Idempotency-Key (platform/http/idempotency.ts): a write sent again with the same key by the same user is done once.
-- The unique key lives here, not in memory, so two instances behind one balancer agree. `state` is 'running' while
-- the first request is being handled (a repeat meanwhile gets 409 IDEMPOTENCY_IN_PROGRESS), then 'done' with the
-- answer kept (2xx and 4xx only: a 5xx row is deleted so that the retry runs). Rows live 24 h, then are pruned.
create table idempotency_keys (
  user_id text not null,
  key text not null,
  fingerprint text not null,
  method text not null,
  path text not null,
  state text not null check (state in ('running', 'done')),
  status integer,
  content_type text,
  body bytea,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (user_id, key)
);
create index idempotency_keys_expires_idx on idempotency_keys (expires_at);
