-- The Hadron side of the CDC pipeline. {brokers} is replaced by the Kafka bootstrap address.

-- 1. Changes arrive in topic `stock_changes`, one JSON object per message.
CREATE EXTERNAL STREAM stock_changes (
  change_id int64,
  sku string,
  warehouse string,
  qty_delta int32,
  changed_at datetime64(3, 'UTC')
) SETTINGS type = 'kafka', brokers = '{brokers}', topic = 'stock_changes', data_format = 'JSONEachRow';

-- 2. A materialized view keeps the stock level per SKU, reading the topic from its first message; it emits
--    the current totals every second while changes arrive.
CREATE MATERIALIZED VIEW stock_levels AS
SELECT sku, sum(qty_delta) AS on_hand, count() AS movements, max(changed_at) AS last_change
FROM stock_changes
GROUP BY sku
EMIT PERIODIC 1s
SETTINGS seek_to = 'earliest';

-- 3. Every emitted row goes to topic `stock_levels`, keyed by SKU (so all versions of a SKU share a
--    partition and arrive in order).
CREATE EXTERNAL STREAM stock_levels_topic (
  sku string,
  on_hand int64,
  movements uint64,
  last_change datetime64(3, 'UTC')
) SETTINGS type = 'kafka', brokers = '{brokers}', topic = 'stock_levels', data_format = 'JSONEachRow',
           message_key = 'sku', one_message_per_row = true;

CREATE MATERIALIZED VIEW stock_levels_to_kafka INTO stock_levels_topic AS
SELECT sku, on_hand, movements, last_change FROM stock_levels;
