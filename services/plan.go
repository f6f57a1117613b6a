package services

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// DateLayout is how a local date is written and stored.
const DateLayout = "2006-01-02"

// Period is the span of days one due service of a plan covers: the
// service is due from Start and overdue after End.
type Period struct {
	Start, End time.Time // local dates (midnight)
}

// Periods lists the periods of a plan running from start to end (local
// dates, end included) that have begun by today, newest last, but none
// that ended more than keep days before today: a plan made long after its
// start does not fill a day list with services nobody can do any more.
// Weekly and every-two-weeks periods count from the plan's start; twice
// a month is the 1st–15th and the 16th–end; monthly is the calendar
// month (cut to the plan's start and end).
func Periods(f Frequency, start, end, today time.Time, keep int) []Period {
	var out []Period
	oldest := today.AddDate(0, 0, -keep)
	add := func(p Period) {
		if p.Start.Before(start) {
			p.Start = start
		}
		if p.End.After(end) {
			p.End = end
		}
		if !p.End.Before(oldest) && !p.Start.After(today) && !p.Start.After(p.End) {
			out = append(out, p)
		}
	}
	if f == Once {
		add(Period{start, end})
		return out
	}
	for d := start; !d.After(end) && !d.After(today); {
		var p Period
		switch f {
		case Daily:
			p = Period{d, d}
		case Weekly:
			p = Period{d, d.AddDate(0, 0, 6)}
		case Biweekly:
			p = Period{d, d.AddDate(0, 0, 13)}
		case TwiceMonthly:
			first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
			if d.Day() <= 15 {
				p = Period{first, first.AddDate(0, 0, 14)}
			} else {
				p = Period{first.AddDate(0, 0, 15), first.AddDate(0, 1, -1)}
			}
		case Monthly:
			first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, d.Location())
			p = Period{first, first.AddDate(0, 1, -1)}
		default:
			return out
		}
		add(p)
		d = p.End.AddDate(0, 0, 1)
	}
	return out
}

// NewPlan is a plan of services for a household (or one of its persons).
type NewPlan struct {
	ContractID  int64     `json:"contract_id"`
	HouseholdID int64     `json:"household_id"`
	PersonID    int64     `json:"person_id"`
	Type        Type      `json:"service_type"`
	Frequency   Frequency `json:"frequency"`
	WorkerID    int64     `json:"worker_id"`
	StartsOn    string    `json:"starts_on"`
	EndsOn      string    `json:"ends_on"`
}

// CheckPlan checks a plan's own fields; storage checks that the contract
// covers the household, prices the type and spans the plan's dates.
func CheckPlan(in NewPlan) error {
	switch {
	case in.HouseholdID <= 0:
		return safetynet.Invalid("household_id", "请选择家庭", "household_id is required")
	case !in.Type.Valid():
		return safetynet.Invalid("service_type", "服务类型无效", "unknown service type")
	case !in.Frequency.Valid():
		return safetynet.Invalid("frequency", "服务频次无效", "unknown frequency")
	}
	return CheckSpan(in.StartsOn, in.EndsOn)
}

// CheckSpan checks a period of local dates: both valid, end not before
// start.
func CheckSpan(starts, ends string) error {
	s, err := time.Parse(DateLayout, starts)
	if err != nil {
		return safetynet.Invalid("starts_on", "开始日期格式应为 2026-01-31", "starts_on must be a date like 2026-01-31")
	}
	e, err := time.Parse(DateLayout, ends)
	if err != nil {
		return safetynet.Invalid("ends_on", "结束日期格式应为 2026-12-31", "ends_on must be a date like 2026-12-31")
	}
	if e.Before(s) {
		return safetynet.Invalid("ends_on", "结束日期早于开始日期", "ends_on is before starts_on")
	}
	return nil
}

// Price is what a contract pays for one service of a type, in fen.
type Price struct {
	Type     Type  `json:"service_type"`
	PriceFen int64 `json:"price_fen"`
}

// MaxPriceFen and MaxBudgetFen bound a contract's figures: a price above
// 10,000 yuan a service or a budget above 100 million yuan is a typo.
const (
	MaxPriceFen  = 1_000_000
	MaxBudgetFen = 10_000_000_000
)

// NewContract is a contract of government purchase of services (政府购买服务).
type NewContract struct {
	PlaceCode  string   `json:"place_code"`
	Title      string   `json:"title"`
	DocNo      string   `json:"doc_no"`
	StartsOn   string   `json:"starts_on"`
	EndsOn     string   `json:"ends_on"`
	BudgetFen  int64    `json:"budget_fen"`
	Prices     []Price  `json:"prices"`
	Categories []string `json:"categories"` // target groups covered within the place
	Households []int64  `json:"households"` // named households covered
}

// CheckContract checks a contract's own fields: a title, a period, a
// budget and at least one price, each type once, no negative or absurd
// amounts.
func CheckContract(in NewContract) error {
	if t := strings.TrimSpace(in.Title); t == "" || utf8.RuneCountInString(t) > 200 {
		return safetynet.Invalid("title", "请填写合同名称（最多200字）", "a title is required (at most 200 characters)")
	}
	if utf8.RuneCountInString(in.DocNo) > 100 {
		return safetynet.Invalid("doc_no", "文号最多100字", "doc_no may have at most 100 characters")
	}
	if err := CheckSpan(in.StartsOn, in.EndsOn); err != nil {
		return err
	}
	if in.BudgetFen <= 0 || in.BudgetFen > MaxBudgetFen {
		return safetynet.Invalid("budget_fen", "预算应大于0且不超过1亿元", "the budget must be above 0 and at most 100 million yuan")
	}
	if len(in.Prices) == 0 {
		return safetynet.Invalid("prices", "请至少填写一项服务单价", "at least one price is required")
	}
	seen := map[Type]bool{}
	for i, p := range in.Prices {
		field := "prices[" + strconv.Itoa(i) + "]"
		if !p.Type.Valid() {
			return safetynet.Invalid(field, "服务类型无效", "unknown service type")
		}
		if seen[p.Type] {
			return safetynet.Invalid(field, "同一服务类型只能定一个单价", "a service type is priced twice")
		}
		seen[p.Type] = true
		if p.PriceFen <= 0 || p.PriceFen > MaxPriceFen {
			return safetynet.Text(safetynet.EInvalid, field, p.Type.Name("zh")+"单价应大于0且不超过1万元", p.Type.Name("en")+": the price must be above 0 and at most 10,000 yuan")
		}
	}
	return nil
}

// ParseYuan reads an amount typed in yuan ("30", "30.5", "1,200.00")
// as fen; more than two decimals, a sign or anything else is refused.
func ParseYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || len(whole) > 12 {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, true
}

// Yuan writes fen as yuan with two decimals.
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

// CodeDigits is the length of a household's confirmation code.
const CodeDigits = 6

// NewCode draws a household's confirmation code.
func NewCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // the system's random source failed: nothing is safe
	}
	return fmt.Sprintf("%06d", n.Int64())
}

// ValidCode reports whether s looks like a confirmation code.
func ValidCode(s string) bool {
	if len(s) != CodeDigits {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CodeHash is what is stored of a household's code: bound to the
// household, so another household's code never matches, and keyed with
// the deployment's secret so that the stored hashes cannot be tried out.
func CodeHash(secret []byte, householdID int64, code string) string {
	h := sha256.New()
	h.Write(secret)
	fmt.Fprintf(h, "|%d|%s", householdID, code)
	return hex.EncodeToString(h.Sum(nil))
}
