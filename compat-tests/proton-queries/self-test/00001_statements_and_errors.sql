-- Tags: no-fasttest
-- Runner self-test in ClickHouse's dialect (runs on ClickHouse 18.16 and on Hadron).
DROP TABLE IF EXISTS t_self;
CREATE TABLE t_self
(
    id UInt32,   -- a comment; with a semicolon
    s String
) ENGINE = Memory;

INSERT INTO t_self VALUES (1, 'a;b'), (2, 'it''s');
INSERT INTO t_self (id, s) FORMAT CSV 3,"c,d"
;
INSERT INTO t_self FORMAT TabSeparated 4	tab
SELECT id, s FROM t_self ORDER BY id;
SELECT count() FROM t_self WHERE s = 'nothing';
SELECT * FROM t_self_missing; -- { serverError UNKNOWN_TABLE }
SELECT nosuchfunction(1); --{serverError 46}
SELECT 1 +; -- { clientError SYNTAX_ERROR }
SELECT
    /* block comment ; */ sum(id)
FROM t_self;
SELECT id FROM t_self WHERE id < 0;
DROP TABLE t_self;
