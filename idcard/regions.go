package idcard

// provinces marks the two-digit province-level codes of GB/T 2260: the
// mainland provinces, autonomous regions and municipalities, plus Taiwan
// (71), Hong Kong (81) and Macao (82).
var provinces = [100]bool{
	11: true, 12: true, 13: true, 14: true, 15: true,
	21: true, 22: true, 23: true,
	31: true, 32: true, 33: true, 34: true, 35: true, 36: true, 37: true,
	41: true, 42: true, 43: true, 44: true, 45: true, 46: true,
	50: true, 51: true, 52: true, 53: true, 54: true,
	61: true, 62: true, 63: true, 64: true, 65: true,
	71: true, 81: true, 82: true,
}

// outside marks the province codes without prefecture and county codes in
// GB/T 2260 (Taiwan, Hong Kong, Macao); any last four digits are accepted.
var outside = [100]bool{71: true, 81: true, 82: true}

// validRegion reports whether 6 ASCII digits look like a region code: a
// known province and, on the mainland, prefecture and county digits that are
// not 00. It is a plausibility check, not a lookup in the code table.
func validRegion(code string) bool {
	p := atoi(code[:2])
	if !provinces[p] {
		return false
	}
	if outside[p] {
		return true
	}
	return code[2:4] != "00" && code[4:6] != "00"
}
