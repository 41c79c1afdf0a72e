-- Tags: zookeeper, no-parallel
SELECT 1;
