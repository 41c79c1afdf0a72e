-- IPv4/IPv6 functions on numbers and strings.

SELECT IPv4NumToString(toUInt32(3232235777)), IPv4NumToString(toUInt32(0)), IPv4NumToString(toUInt32(4294967295)), IPv4StringToNum('192.168.1.1'), IPv4StringToNum('10.0.0.1');
SELECT IPv4NumToStringClassC(toUInt32(3232235777)), IPv4StringToNum('0.0.0.0'), IPv4StringToNum('255.255.255.255');
SELECT IPv6NumToString(IPv6StringToNum('::1')), IPv6NumToString(IPv6StringToNum('2001:db8::8a2e:370:7334')), hex(IPv6StringToNum('::ffff:1.2.3.4'));
SELECT IPv6NumToString(IPv4ToIPv6(IPv4StringToNum('192.168.0.1'))), hex(IPv4ToIPv6(toUInt32(1))), length(IPv6StringToNum('::'));
SELECT cutIPv6(IPv6StringToNum('2001:db8:85a3::8a2e:370:7334'), 2, 0), cutIPv6(IPv4ToIPv6(IPv4StringToNum('192.168.0.1')), 0, 2);
SELECT IPv4NumToString(toUInt32(IPv4StringToNum('1.2.3.4') + number)) FROM numbers(3);
SELECT IPv6NumToString(toFixedString(unhex('20010DB8000000000000000000000001'), 16));
SELECT toIPv4('192.168.1.1'), toTypeName(toIPv4('1.1.1.1')), toIPv4('10.0.0.1') < toIPv4('10.0.0.2'), toUInt32(toIPv4('0.0.1.0'));
-- expected (ClickHouse 18.16 lacks the IPv4 type):
-- 192.168.1.1	IPv4	1	256
SELECT toIPv6('2001:db8::1'), toIPv6('192.168.0.1'), toTypeName(toIPv6('::1'));
-- expected (ClickHouse 18.16 lacks the IPv6 type):
-- 2001:db8::1	::ffff:192.168.0.1	IPv6
SELECT IPv4CIDRToRange(toIPv4('192.168.5.2'), 16), IPv6CIDRToRange(toIPv6('2001:db8::1'), 32);
-- expected (ClickHouse 18.16 lacks CIDR functions):
-- ('192.168.0.0','192.168.255.255')	('2001:db8::','2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')
SELECT isIPv4String('1.2.3.4'), isIPv4String('1.2.3'), isIPv6String('::1'), isIPv6String('1.2.3.4');
-- expected (ClickHouse 18.16 lacks isIPv4String/isIPv6String):
-- 1	0	1	0
SELECT isIPAddressInRange('127.0.0.1', '127.0.0.0/8'), isIPAddressInRange('10.1.0.1', '10.0.0.0/16');
-- expected (ClickHouse 18.16 lacks isIPAddressInRange):
-- 1	0
SELECT toIPv4OrNull('x'), toIPv4OrDefault('x'), IPv4StringToNumOrNull('999.1.1.1');
-- expected (ClickHouse 18.16 lacks the IPv4 type):
-- \N	0.0.0.0	\N
