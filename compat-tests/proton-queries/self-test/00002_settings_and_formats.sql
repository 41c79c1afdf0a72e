SET output_format_write_statistics = 0;
SELECT toUInt64(arrayJoin([0, 1])) AS n FORMAT JSONCompact;
SET max_block_size = 1;
SELECT value FROM system.settings WHERE name = 'max_block_size';
SELECT number FROM numbers(3) FORMAT CSV;
SELECT 'x' AS a, 1 AS b FORMAT TSVWithNames;
SELECT currentDatabase() = 'default';
