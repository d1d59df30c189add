-- Supplies and relief logistics: the item catalogue, warehouses, stock by batch and its movements (the ledger),
-- relief plans and their dispatch orders. Quantities are whole units of the item's unit (integer; sums cast to int8 and read as numbers).

-- Items described for use: a GB/T 38565 code given a unit, weight … or a local item under one (1120100-12).
create table supply_items (
  code text primary key,
  standard_code text not null,
  name text not null,
  name_en text,
  unit text not null,
  unit_weight_kg double precision,
  unit_volume_m3 double precision,
  shelf_life_days integer,
  unit_price_yuan numeric(14, 2),
  active boolean not null default true,
  demo boolean not null default false,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index supply_items_standard on supply_items (standard_code);

create table warehouses (
  id text primary key,
  code text not null unique,
  name text not null,
  tier text not null check (tier in ('city', 'district', 'town')),
  reserve_type text not null check (reserve_type in ('government', 'agreement', 'capacity', 'social')),
  geom geometry(Point, 4326) not null,
  district_code text,
  address text,
  capacity_m3 double precision,
  area_m2 double precision,
  manager text,
  phones text[] not null default '{}',
  owner_unit text not null,
  -- agreement and capacity reserves: {partner, contact, phone, leadTimeHours, validUntil} (items in warehouse_commitments)
  agreement jsonb,
  loading_minutes integer not null default 30,
  active boolean not null default true,
  notes text,
  demo boolean not null default false,
  version integer not null default 0,
  created_by text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index warehouses_district on warehouses (district_code);
create index warehouses_geom on warehouses using gist (geom);

-- What an agreement or capacity reserve has committed per call, and what of it is still uncalled.
create table warehouse_commitments (
  warehouse_id text not null references warehouses (id) on delete cascade,
  item_code text not null,
  committed integer not null check (committed >= 0),
  called integer not null default 0 check (called >= 0 and called <= committed),
  primary key (warehouse_id, item_code)
);

-- Stock by batch: one row per warehouse, item and batch; the quantity never goes below zero.
create table stock_batches (
  warehouse_id text not null references warehouses (id),
  item_code text not null,
  batch text not null,
  quantity integer not null check (quantity >= 0),
  produced_on text check (produced_on ~ '^\d{4}-\d{2}-\d{2}$'),
  expires_on text check (expires_on ~ '^\d{4}-\d{2}-\d{2}$'),
  received_at timestamptz not null,
  updated_at timestamptz not null,
  primary key (warehouse_id, item_code, batch)
);
create index stock_batches_item on stock_batches (item_code);
create index stock_batches_expiry on stock_batches (expires_on) where quantity > 0 and expires_on is not null;

-- The ledger: every change of stock (or of an agreement's uncalled quantity), signed, with its document and operator.
create table stock_movements (
  id text primary key,
  doc_no text not null,
  kind text not null check (kind in ('receive', 'issue', 'transfer_out', 'transfer_in', 'adjust', 'writeoff', 'call')),
  warehouse_id text not null references warehouses (id),
  item_code text not null,
  batch text,
  quantity integer not null,
  balance integer not null,
  operator_id text not null,
  operator_name text not null,
  at timestamptz not null,
  note text,
  counterpart text
);
create index stock_movements_warehouse on stock_movements (warehouse_id, at desc);
create index stock_movements_item on stock_movements (item_code, at desc);
create index stock_movements_doc on stock_movements (doc_no);

-- Expiry alarms raised, one per batch and threshold, so the daily check raises each once.
create table stock_expiry_alarms (
  warehouse_id text not null,
  item_code text not null,
  batch text not null,
  threshold text not null,
  raised_at timestamptz not null,
  primary key (warehouse_id, item_code, batch, threshold)
);

-- A relief plan as computed (request and answer kept whole), and what became of it.
create table relief_plans (
  id text primary key,
  number text not null unique,
  name text,
  incident_id text,
  district_code text,
  owner_unit text not null,
  start_at timestamptz not null,
  deadline_at timestamptz not null,
  feasible boolean not null,
  request jsonb not null,
  answer jsonb not null,
  created_by text not null,
  created_at timestamptz not null
);
create index relief_plans_created on relief_plans (created_at desc);

create table dispatch_orders (
  id text primary key,
  number text not null unique,
  plan_id text not null references relief_plans (id),
  warehouse_id text not null references warehouses (id),
  place_id text not null,
  place_name text,
  destination geometry(Point, 4326) not null,
  -- [{itemCode, quantity}]
  lines jsonb not null,
  state text not null default 'planned' check (state in ('planned', 'loaded', 'en_route', 'delivered', 'cancelled')),
  planned_depart_at timestamptz not null,
  eta_at timestamptz not null,
  loaded_at timestamptz,
  departed_at timestamptz,
  delivered_at timestamptz,
  vehicle text,
  driver text,
  -- {receivedBy, note, fileIds}
  proof jsonb,
  late_alarmed boolean not null default false,
  district_code text,
  owner_unit text not null,
  version integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index dispatch_orders_plan on dispatch_orders (plan_id);
create index dispatch_orders_open on dispatch_orders (eta_at) where state in ('loaded', 'en_route');
