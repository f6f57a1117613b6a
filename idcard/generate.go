package idcard

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Generate returns a synthetic 18-character number for demo and test data:
// the given region code, the calendar date of birth in birth's location, a
// random 3-digit sequence (001-999) whose last digit is odd for Male and even
// for Female, and the correct check character. A nil rng uses the global
// source of math/rand/v2.
//
// The result passes Parse if birth is not in the future. It is not known to
// belong to nobody: GB 11643 reserves no range for test numbers, so a
// generated number may be a real person's. Keep generated data away from
// anything that could reach a real person.
//
// Generate panics if region is not 6 ASCII digits accepted by Parse, if the
// birth year is outside 1800-9999, or if sex is neither Male nor Female:
// these are programming errors.
func Generate(rng *rand.Rand, region string, birth time.Time, sex Sex) string {
	if len(region) != 6 || checkCharacters(region, false) != nil || !validRegion(region) {
		panic(fmt.Sprintf("idcard.Generate: %q is not a valid region code", region))
	}
	y, m, d := birth.Date()
	if y < minYear || y > 9999 {
		panic(fmt.Sprintf("idcard.Generate: birth year %d is outside %d-9999", y, minYear))
	}
	intN := rand.IntN
	if rng != nil {
		intN = rng.IntN
	}
	var seq int
	switch sex {
	case Male:
		seq = 1 + 2*intN(500) // 001, 003, ..., 999
	case Female:
		seq = 2 + 2*intN(499) // 002, 004, ..., 998
	default:
		panic(fmt.Sprintf("idcard.Generate: invalid sex %d", byte(sex)))
	}
	first17 := fmt.Sprintf("%s%04d%02d%02d%03d", region, y, int(m), d, seq)
	return first17 + string(checkChar(first17))
}
