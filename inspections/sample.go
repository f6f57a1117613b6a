package inspections

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
)

// The sample's design.
//
// Villages: the candidates are the area's villages with at least one
// active household (for a campaign: its implementing villages), sorted
// by code; a seeded shuffle picks Villages of them (all when fewer), in
// draw order.
//
// Households, in each drawn village, are drawn in two strata:
//   - key households (重点户): monitored (the three kinds of 监测对象),
//     dibao or tekun (the household or a member), a member living alone
//     elderly (独居老人), or a case of the relay still open;
//   - ordinary households: every other active household.
//
// KeyShare (70%) of the village's quota, rounded up, comes from the key
// stratum and the rest from the ordinary one, so that an inspection
// looks first where help must arrive while still seeing some households
// the ledger calls ordinary (a household wrongly left out of help shows
// there). When a stratum is short, the other fills the quota; a village
// with fewer households than the quota gives them all. Within a stratum
// every household has the same chance.
//
// Reproducible: the draw depends only on the seed and the candidate
// lists. Each village's households are drawn with a generator seeded
// from the inspection's seed and the village's code, so one village's
// draw does not depend on another's. The seed and a digest of the
// candidates (Digest) are written in the audit log when drawing; drawing
// again from that seed over the same candidates gives the same sample,
// and a different digest says the register changed since.
const KeyShare = 0.7

// seedStream is the PCG stream of the village draw; a household draw uses
// a stream derived from the village's code.
const seedStream = 0x5afe7e7

// DrawVillages picks n villages of candidates (codes, in any order) with
// seed, in draw order.
func DrawVillages(seed int64, candidates []string, n int) []string {
	c := slices.Clone(candidates)
	slices.Sort(c)
	c = slices.Compact(c)
	r := rand.New(rand.NewPCG(uint64(seed), seedStream))
	r.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	if n < len(c) {
		c = c[:n]
	}
	return c
}

// Candidate is a household that may be drawn in a village.
type Candidate struct {
	ID  int64
	Key bool // a key household (重点户)
}

// DrawHouseholds picks n households of a village's candidates with seed,
// key households first (KeyShare of n, rounded up), in draw order.
func DrawHouseholds(seed int64, village string, candidates []Candidate, n int) []int64 {
	var key, ord []int64
	for _, c := range candidates {
		if c.Key {
			key = append(key, c.ID)
		} else {
			ord = append(ord, c.ID)
		}
	}
	slices.Sort(key)
	key = slices.Compact(key)
	slices.Sort(ord)
	ord = slices.Compact(ord)
	h := fnv.New64a()
	h.Write([]byte(village))
	r := rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
	r.Shuffle(len(key), func(i, j int) { key[i], key[j] = key[j], key[i] })
	r.Shuffle(len(ord), func(i, j int) { ord[i], ord[j] = ord[j], ord[i] })
	wantKey := KeyQuota(n)
	takeKey := min(wantKey, len(key))
	takeOrd := min(n-takeKey, len(ord))
	if takeKey+takeOrd < n { // the ordinary stratum is short: more key households
		takeKey = min(n-takeOrd, len(key))
	}
	out := make([]int64, 0, takeKey+takeOrd)
	out = append(out, key[:takeKey]...)
	return append(out, ord[:takeOrd]...)
}

// KeyQuota is how many of a village's n households come from the key
// stratum when it has enough: KeyShare of n rounded up, leaving at least
// one ordinary household when n ≥ 2.
func KeyQuota(n int) int {
	k := (n*7 + 9) / 10
	if n >= 2 && k == n {
		k = n - 1
	}
	return k
}

// NewSeed turns random bytes into a seed that is never 0 (0 means "not
// drawn" in storage) and has at most 53 bits, so that it reads back
// exactly wherever JSON numbers are doubles (the audit log's detail, a
// browser).
func NewSeed(b [8]byte) int64 {
	s := int64(binary.LittleEndian.Uint64(b[:]) & (1<<53 - 1))
	if s == 0 {
		s = 1
	}
	return s
}

// Digest is a short fingerprint of a draw's candidates: the candidate
// villages in code order, then each drawn village with its key and
// ordinary households in id order.
func Digest(villageCandidates []string, villages map[string][]Candidate) string {
	h := sha256.New()
	all := slices.Clone(villageCandidates)
	slices.Sort(all)
	for _, v := range slices.Compact(all) {
		h.Write([]byte(v + ","))
	}
	h.Write([]byte("|"))
	codes := make([]string, 0, len(villages))
	for v := range villages {
		codes = append(codes, v)
	}
	slices.Sort(codes)
	for _, v := range codes {
		c := slices.Clone(villages[v])
		slices.SortFunc(c, func(a, b Candidate) int {
			if a.ID != b.ID {
				if a.ID < b.ID {
					return -1
				}
				return 1
			}
			return 0
		})
		h.Write([]byte(v + ":"))
		for _, x := range c {
			k := "o"
			if x.Key {
				k = "k"
			}
			h.Write([]byte(strconv.FormatInt(x.ID, 10) + k + ","))
		}
		h.Write([]byte(";"))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Sample is a drawn sample: villages in draw order, each with its
// households in draw order.
type Sample struct {
	Villages   []string
	Households map[string][]int64
}

// Draw draws a whole sample: villages from villageCandidates, then
// households from each drawn village's candidates (households, keyed by
// village code; a village missing there has none).
func Draw(seed int64, villageCandidates []string, villages int, households map[string][]Candidate, perVillage int) Sample {
	s := Sample{Villages: DrawVillages(seed, villageCandidates, villages), Households: map[string][]int64{}}
	for _, v := range s.Villages {
		s.Households[v] = DrawHouseholds(seed, v, households[v], perVillage)
	}
	return s
}
