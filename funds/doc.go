// Package funds holds the rules of support funds and linked resources
// (帮扶资金 / 链接资源): what a source is, how an amount of yuan is read as
// fen, and which ledger entries a balance allows.
//
// The ledger of a source is append-only. Its entries are, in order of
// their effect on the balance:
//
//	receipt     money received by the source (收款)           received  += amount
//	allocation  money set aside for a measure, named households
//	            or persons, or a purchase (分配)                 allocated += amount
//	spend       money paid out of one allocation (支出)          spent     += amount
//	inkind      goods or services given, valued in yuan (链接资源) in-kind += value
//
// and a reversal (冲销), which undoes one earlier entry whole, with a
// reason, by an entry of the same kind and the opposite amount. Nothing
// is edited: a mistake is reversed and entered again.
//
// The balance rules (CheckEntry) never let a source's allocations exceed
// what it received, nor an allocation's spending exceed the allocation:
//
//	0 <= spent(allocation) <= amount(allocation)
//	0 <= allocated(source) <= received(source)
//
// Amounts are integer fen from end to end; ParseYuan reads "51,900.00",
// "51900", "51900.5", "¥5.19万" and refuses negative amounts, more than two
// decimals (of yuan) and anything above MaxFen.
package funds
