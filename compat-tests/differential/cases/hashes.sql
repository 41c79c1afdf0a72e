-- Hash functions (string inputs, hex-encoded where the result is binary).

SELECT hex(MD5('')), hex(MD5('abc')), hex(SHA1('abc')), hex(SHA256('abc'));
SELECT hex(SHA224('abc')), length(SHA256('')), toTypeName(MD5('a'));
SELECT halfMD5('abc'), halfMD5('');
SELECT cityHash64('abc'), cityHash64(''), cityHash64('The quick brown fox jumps over the lazy dog');
SELECT sipHash64('abc'), sipHash64(''), hex(sipHash128('abc'));
SELECT intHash32(1), intHash32(12345), intHash64(1), intHash64(12345);
SELECT murmurHash2_32('abc'), murmurHash2_64('abc'), murmurHash3_32('abc'), murmurHash3_64('abc'), hex(murmurHash3_128('abc'));
SELECT farmHash64('abc'), metroHash64('abc'), URLHash('https://example.com/a');
SELECT jumpConsistentHash(12345, 10), jumpConsistentHash(1, 1000), jumpConsistentHash(256, 1);
SELECT cityHash64(toString(number)) % 100 FROM numbers(5);
SELECT sum(cityHash64(toString(number)) % 1000) FROM numbers(1000);
SELECT javaHash('abc'), javaHash(''), hiveHash('abc'), javaHashUTF16LE('a');
-- expected (ClickHouse 18.16 lacks javaHash/hiveHash): computed as Java's String.hashCode
-- 96354	0	96354	97
SELECT xxHash32('abc'), xxHash64('abc'), xxHash64('');
-- expected (ClickHouse 18.16 lacks xxHash): reference vectors of XXH32/XXH64 with seed 0
-- 852579327	4952883123889572249	17241709254077376921
SELECT CRC32('abc'), CRC32(''), CRC32('The quick brown fox jumps over the lazy dog');
-- expected (ClickHouse 18.16 lacks CRC32): the zlib CRC-32
-- 891568578	0	1095738169
SELECT hex(SHA512('abc')) = upper('ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
-- expected (ClickHouse 18.16 lacks SHA512):
-- 1
