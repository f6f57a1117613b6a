package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Kinds of rules: an eligibility rule says a household qualifies for a
// measure; an exit rule says a household receiving it no longer does.
const (
	KindEligibility = "eligibility" // 准入规则
	KindExit        = "exit"        // 退出规则
)

// The two screening lists (政策找人).
const (
	ListEligible = "eligible" // 应享未享: qualifies, does not receive
	ListExit     = "exit"     // 应退未退: receives, an exit rule matched
)

// Statuses of a list line.
const (
	LineOpen      = "open"      // 待处理
	LineDismissed = "dismissed" // 已排除
	LineApplied   = "applied"   // 已发起申请
	LineFollowup  = "followup"  // 继续跟踪
)

// Reason is an entry of a vocabulary with labels.
type Reason struct {
	Code, ZH, EN string
	NeedsNote    bool
}

// DismissReasons are the reasons village staff give for dismissing a line;
// a dismissed line is not shown again until the household's data change.
var DismissReasons = []Reason{
	{Code: "not_actual", ZH: "不符合实际", EN: "does not match reality"},
	{Code: "declined", ZH: "本人不愿申请", EN: "the household declines"},
	{Code: "elsewhere", ZH: "已在他处享受", EN: "receives it elsewhere"},
	{Code: "in_progress", ZH: "已在办理中", EN: "already being processed"},
	{Code: "other", ZH: "其他（须说明）", EN: "other (note required)", NeedsNote: true},
}

// DismissReason returns the reason of code.
func DismissReason(code string) (Reason, bool) {
	for _, r := range DismissReasons {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

// Outcome is the answer of one published rule version for one household.
type Outcome struct {
	RuleID      int64
	RuleVersion int
	Measure     string
	Kind        string
	Matched     bool
	Err         string
	ZH, EN      string // explanation
}

// Line is a line of a screening list a household's outcomes give.
type Line struct {
	List        string
	Measure     string
	RuleID      int64
	RuleVersion int
	ZH, EN      string
}

// Holds reports whether household h receives measure code: the measure is
// in force, or h holds the household category the measure's names stand
// for (a dibao household holds dibao).
func (e *Env) Holds(h *Household, code string) bool {
	if hasCode(h.Measures, code) {
		return true
	}
	names := []string{code}
	if m, ok := e.measures[code]; ok {
		names = append(names, m.ZH)
	}
	for _, n := range names {
		keys, _ := lookup(e.hVocab, n)
		for _, k := range keys {
			if !k.measure && hasCode(h.Categories, k.code) {
				return true
			}
		}
	}
	return false
}

// Lines decides the list lines of a household from the outcomes of the
// rules in force (held says whether it receives a measure): an
// eligibility rule that matched a measure not received gives a 应享未享
// line; an exit rule that matched a measure received gives a 应退未退
// line. A rule that failed never gives a line. Several rules of one
// measure and list give one line, of the lowest rule id (stable).
func Lines(outcomes []Outcome, held func(measure string) bool) []Line {
	type key struct{ list, measure string }
	best := map[key]Line{}
	for _, o := range outcomes {
		if !o.Matched || o.Err != "" {
			continue
		}
		var list string
		switch {
		case o.Kind == KindEligibility && !held(o.Measure):
			list = ListEligible
		case o.Kind == KindExit && held(o.Measure):
			list = ListExit
		default:
			continue
		}
		k := key{list, o.Measure}
		if cur, ok := best[k]; ok && cur.RuleID < o.RuleID {
			continue
		}
		best[k] = Line{List: list, Measure: o.Measure, RuleID: o.RuleID, RuleVersion: o.RuleVersion, ZH: o.ZH, EN: o.EN}
	}
	out := make([]Line, 0, len(best))
	for _, l := range best {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].List != out[j].List {
			return out[i].List < out[j].List
		}
		return out[i].Measure < out[j].Measure
	})
	return out
}

// Fingerprint summarises the data of a household rules can read: a
// dismissed line comes back only when it changes. Order of members,
// categories and measures does not matter.
func Fingerprint(h *Household) string {
	c := *h
	c.Categories = sortedCopy(h.Categories)
	c.Measures = sortedCopy(h.Measures)
	c.Members = sortedMembers(h.Members)
	c.Former = sortedMembers(h.Former)
	b, _ := json.Marshal(c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func sortedMembers(ms []Member) []Member {
	out := make([]Member, len(ms))
	for i, m := range ms {
		m.Categories = sortedCopy(m.Categories)
		out[i] = m
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// OutreachText says in plain words which policy a household may receive
// and why, for the grid worker who tells it (惠民政策宣传).
func OutreachText(measureZH, measureEN, whyZH, whyEN string) (zh, en string) {
	zh = "可能符合“" + measureZH + "”政策，请告知本户可以申请"
	en = "may qualify for " + measureEN + ": tell the household it can apply"
	if whyZH != "" {
		zh += "（" + whyZH + "）"
	}
	if whyEN != "" {
		en += " (" + whyEN + ")"
	}
	return zh, en
}

// AffectsScreening reports whether a change of a household's timeline,
// named by its event kind, may change a rule's answer for it: the
// register's changes (household, members, categories, status, moves) and
// the decisions on measures. The storage layer queues the household for
// screening in the transaction of such a change.
func AffectsScreening(kind string) bool {
	for _, p := range []string{"household.", "person.", "category.", "measure.", "case.open"} {
		if strings.HasPrefix(kind, p) {
			return true
		}
	}
	return false
}

// DataHash is a 64-bit FNV-1a fingerprint of everything of h a rule can
// read, in no particular order of categories, measures and members, mixed
// with seed (ParamsHash of the parameter values): equal hashes mean an
// answer explained before can be kept. It allocates nothing.
func DataHash(h *Household, seed uint64) uint64 {
	x := fnvNew().u64(seed).u64(uint64(h.ID)).str(h.PlaceCode).u64(math.Float64bits(h.IncomePerCapita)).
		bool(h.IncomeKnown).u64(uint64(h.IncomeYear)).str(h.Housing).str(h.Water)
	x = x.u64(setHash(h.Categories)).u64(setHash(h.Measures))
	var ms uint64
	for i := range h.Members {
		ms += memberHash(&h.Members[i], 1)
	}
	for i := range h.Former {
		ms += memberHash(&h.Former[i], 2)
	}
	return uint64(x.u64(ms))
}

// ParamsHash fingerprints parameter values, for DataHash.
func ParamsHash(p Params) uint64 {
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	x := fnvNew()
	for _, n := range names {
		x = x.str(n).str(fmt.Sprintf("%T %v", p[n], p[n]))
	}
	return uint64(x)
}

func memberHash(m *Member, list uint64) uint64 {
	x := fnvNew().u64(list).u64(uint64(m.ID)).u64(uint64(m.Age)).bool(m.AgeKnown).str(m.Sex).str(m.Relation).
		u64(uint64(m.DisabilityGrade)).bool(m.GradeKnown).str(m.DisabilityKind).str(m.Health).str(m.Education).str(m.Labour).
		bool(m.InSchool).bool(m.Deceased).bool(m.MovedAway)
	return uint64(x.u64(setHash(m.Categories)))
}

// setHash fingerprints a set of codes whatever their order.
func setHash(codes []string) uint64 {
	var s uint64
	for _, c := range codes {
		s += uint64(fnvNew().str(c))
	}
	return s + uint64(len(codes))
}

type fnv64 uint64

func fnvNew() fnv64 { return 14695981039346656037 }

func (x fnv64) byte(b byte) fnv64 { return (x ^ fnv64(b)) * 1099511628211 }

func (x fnv64) str(s string) fnv64 {
	for i := 0; i < len(s); i++ {
		x = x.byte(s[i])
	}
	return x.byte(0xff) // ends the text: "ab","c" is not "a","bc"
}

func (x fnv64) u64(v uint64) fnv64 {
	for i := 0; i < 8; i++ {
		x = x.byte(byte(v >> (8 * i)))
	}
	return x
}

func (x fnv64) bool(b bool) fnv64 {
	if b {
		return x.byte(1)
	}
	return x.byte(0)
}
