-- This case fails on purpose: its reference is wrong. The runner must report it.
SELECT 1;
