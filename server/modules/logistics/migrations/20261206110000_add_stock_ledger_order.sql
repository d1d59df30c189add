-- Part A (stock): the ledger's own order (movements of one warehouse and item are written one transaction at a time,
-- so `seq` is the order their balances follow), and where a catalogue item's figures come from.
alter table stock_movements add column seq bigint generated always as identity;
create index stock_movements_seq on stock_movements (warehouse_id, item_code, seq);
create index stock_movements_all_seq on stock_movements (seq desc);
-- units, weights, volumes, shelf life and prices: whose figures they are ("assumption: …" for the seeded ones)
alter table supply_items add column basis text;
