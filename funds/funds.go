package funds

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Kinds of source.
const (
	SourceBudget   = "budget"   // a budget appropriation (财政资金)
	SourceCompany  = "company"  // a company's contribution (企业帮扶, e.g. 宇信钙业)
	SourceDonation = "donation" // donations (社会捐赠)
	SourceUnit     = "unit"     // a unit's support funds (帮扶单位资金)
)

// SourceKinds lists the kinds of source in the order forms show them.
var SourceKinds = []string{SourceBudget, SourceCompany, SourceDonation, SourceUnit}

// Kinds of ledger entry.
const (
	Receipt    = "receipt"
	Allocation = "allocation"
	Spend      = "spend"
	InKind     = "inkind"
)

// EntryKinds lists the kinds of entry.
var EntryKinds = []string{Receipt, Allocation, Spend, InKind}

// What an allocation (or an in-kind gift) goes to.
const (
	ToMeasure    = "measure"    // a measure of the catalogue (临时救助 …)
	ToHouseholds = "households" // named households
	ToPersons    = "persons"    // named persons
	ToPurchase   = "purchase"   // a purchase: quantity × unit price, optionally for named persons (惠民保)
)

// Targets lists what an allocation may go to.
var Targets = []string{ToMeasure, ToHouseholds, ToPersons, ToPurchase}

// MaxDocument is the largest attached document accepted.
const MaxDocument = 8 << 20

// MaxTargets is the most households or persons one entry may name.
const MaxTargets = 500

// Zone is the local time zone of entry dates.
var Zone = time.FixedZone("CST", 8*3600)

// Source is a source of funds owned by a place.
type Source struct {
	Name  string // 2024年帮扶单位资金, 宇信钙业捐赠 …
	Kind  string
	Donor string // the company, unit or donor, if not the name itself
	Place string // the owning county, town or village
	Note  string
}

// CheckSource trims s and reports the first thing wrong with it.
func CheckSource(s Source) (Source, error) {
	s.Name, s.Donor, s.Note, s.Place = strings.TrimSpace(s.Name), strings.TrimSpace(s.Donor), strings.TrimSpace(s.Note), strings.TrimSpace(s.Place)
	if n := utf8.RuneCountInString(s.Name); n < 2 || n > 80 {
		return s, safetynet.Invalid("name", "来源名称应为 2 到 80 个字", "the name must have 2 to 80 characters")
	}
	if !oneOf(s.Kind, SourceKinds) {
		return s, safetynet.Invalid("kind", "请选择资金来源类别", "choose the kind of source")
	}
	if utf8.RuneCountInString(s.Donor) > 80 {
		return s, safetynet.Invalid("donor", "出资单位名称过长", "the donor's name is too long")
	}
	if s.Kind == SourceCompany && s.Donor == "" {
		return s, safetynet.Invalid("donor", "企业帮扶请填写企业名称", "name the company")
	}
	if s.Place == "" {
		return s, safetynet.Invalid("place_code", "请选择所属地区", "choose the place that owns the source")
	}
	if utf8.RuneCountInString(s.Note) > 500 {
		return s, safetynet.Invalid("note", "说明过长", "the note is too long")
	}
	return s, nil
}

// Entry is one line of a source's ledger as entered.
type Entry struct {
	Kind      string
	AmountFen int64 // for a purchase, 0 means quantity × unit price
	On        time.Time
	DocNo     string // document number; the invoice number of a spend
	Payee     string // who was paid (spend) or who gave (receipt, in-kind)
	Note      string

	Target       string  // allocation and in-kind: ToMeasure … ToPurchase
	Measure      string  // ToMeasure: a code of the measure catalogue
	Item         string  // purchase or in-kind: what (曲靖惠民保, 三格化粪池, 米和油 …)
	Quantity     int64   // purchase: how many
	UnitPriceFen int64   // purchase: the price of one
	Households   []int64 // ToHouseholds, or in-kind to households
	Persons      []int64 // ToPersons, a purchase for named persons, or in-kind to persons

	AllocationID int64 // spend: the allocation paid from
}

// CheckEntry trims e, fills what follows from it (a purchase's amount,
// its quantity from the persons named) and reports the first thing
// wrong. today bounds the date: entries are not written ahead.
func CheckEntry(e Entry, today time.Time) (Entry, error) {
	e.DocNo, e.Payee, e.Note, e.Item = strings.TrimSpace(e.DocNo), strings.TrimSpace(e.Payee), strings.TrimSpace(e.Note), strings.TrimSpace(e.Item)
	if !oneOf(e.Kind, EntryKinds) {
		return e, safetynet.Invalid("kind", "记账类别无效", "unknown kind of entry %q", e.Kind)
	}
	if e.On.IsZero() {
		return e, safetynet.Invalid("date", "请填写日期", "enter the date")
	}
	if Day(e.On).After(Day(today)) {
		return e, safetynet.Invalid("date", "日期不能晚于今天", "the date cannot be in the future")
	}
	if e.On.Year() < 2000 {
		return e, safetynet.Invalid("date", "日期过早", "the date is too early")
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"doc_no", e.DocNo, 60}, {"payee", e.Payee, 80}, {"note", e.Note, 500}, {"item", e.Item, 80}} {
		if utf8.RuneCountInString(f.v) > f.max {
			return e, safetynet.Invalid(f.field, "内容过长（最多 %d 字）", "at most %d characters", f.max)
		}
	}
	if len(e.Households) > MaxTargets || len(e.Persons) > MaxTargets {
		return e, safetynet.Invalid("targets", "一笔最多 500 个对象", "at most 500 households or persons per entry")
	}
	e.Households, e.Persons = dedupe(e.Households), dedupe(e.Persons)
	switch e.Kind {
	case Receipt:
		e.Target, e.Households, e.Persons, e.AllocationID = "", nil, nil, 0
	case Spend:
		if e.AllocationID <= 0 {
			return e, safetynet.Invalid("allocation_id", "请选择支出所属的分配", "choose the allocation paid from")
		}
		if e.Payee == "" {
			return e, safetynet.Invalid("payee", "请填写收款方", "enter the payee")
		}
		e.Target, e.Households, e.Persons = "", nil, nil
	case Allocation, InKind:
		e.AllocationID = 0
		if err := checkTarget(&e); err != nil {
			return e, err
		}
	}
	if e.AmountFen < 0 || e.AmountFen > MaxFen {
		return e, safetynet.Invalid("amount", "金额应在 0.01 元到 10 亿元之间", "the amount must be from 0.01 to 1,000,000,000 yuan")
	}
	if e.AmountFen == 0 {
		return e, safetynet.Invalid("amount", "请填写金额（元）", "enter an amount in yuan")
	}
	return e, nil
}

func checkTarget(e *Entry) error {
	if !oneOf(e.Target, Targets) || (e.Kind == InKind && e.Target == ToMeasure) {
		return safetynet.Invalid("target", "请选择用途：救助措施、户、人或采购", "choose what it goes to: a measure, households, persons or a purchase")
	}
	switch e.Target {
	case ToMeasure:
		e.Households, e.Persons, e.Quantity, e.UnitPriceFen = nil, nil, 0, 0
		if e.Measure == "" {
			return safetynet.Invalid("measure", "请选择救助措施", "choose the measure")
		}
	case ToHouseholds:
		e.Persons, e.Measure, e.Quantity, e.UnitPriceFen = nil, "", 0, 0
		if len(e.Households) == 0 {
			return safetynet.Invalid("households", "请选择至少一户", "name at least one household")
		}
	case ToPersons:
		e.Households, e.Measure, e.Quantity, e.UnitPriceFen = nil, "", 0, 0
		if len(e.Persons) == 0 {
			return safetynet.Invalid("persons", "请选择至少一人", "name at least one person")
		}
	case ToPurchase:
		e.Households, e.Measure = nil, ""
		if e.Item == "" {
			return safetynet.Invalid("item", "请填写采购内容，例如 曲靖惠民保", "name what is bought")
		}
		if e.Quantity == 0 && len(e.Persons) > 0 {
			e.Quantity = int64(len(e.Persons))
		}
		if len(e.Persons) > 0 && e.Quantity != int64(len(e.Persons)) {
			return safetynet.Invalid("quantity", "数量应等于所选人数（%d）", "the quantity must equal the number of persons named (%d)", len(e.Persons))
		}
		if e.Quantity <= 0 || e.Quantity > 1_000_000 {
			return safetynet.Invalid("quantity", "数量应为 1 到 1,000,000", "the quantity must be from 1 to 1,000,000")
		}
		if e.UnitPriceFen <= 0 || e.UnitPriceFen > MaxFen {
			return safetynet.Invalid("unit_price", "请填写单价（元）", "enter the unit price in yuan")
		}
		if e.UnitPriceFen > MaxFen/e.Quantity {
			return safetynet.Invalid("amount", "金额过大（上限 10 亿元）", "the amount is too large (at most 1,000,000,000 yuan)")
		}
		total := e.Quantity * e.UnitPriceFen
		if e.AmountFen == 0 {
			e.AmountFen = total
		} else if e.AmountFen != total {
			return safetynet.Invalid("amount", "金额应等于数量 × 单价（%s 元）", "the amount must be quantity × unit price (%s yuan)", Yuan(total))
		}
	}
	return nil
}

// Balance is a source's totals.
type Balance struct {
	Received, Allocated, Spent, InKind int64
}

// Unallocated is what the source received and has not yet allocated.
func (b Balance) Unallocated() int64 { return b.Received - b.Allocated }

// Unspent is what is allocated and not yet spent.
func (b Balance) Unspent() int64 { return b.Allocated - b.Spent }

// CheckAllocate refuses an allocation beyond what the source has left.
func CheckAllocate(b Balance, amount int64) error {
	if amount > b.Unallocated() {
		return safetynet.Conflict("amount", "超出可分配余额：已到账 %s 元，已分配 %s 元，尚可分配 %s 元",
			"more than the source has left: received %s, allocated %s, %s left to allocate",
			Yuan(b.Received), Yuan(b.Allocated), Yuan(b.Unallocated()))
	}
	return nil
}

// CheckSpend refuses a spend beyond what an allocation has left.
func CheckSpend(allocated, spent, amount int64) error {
	if amount > allocated-spent {
		return safetynet.Conflict("amount", "超出该分配的余额：分配 %s 元，已支出 %s 元，尚可支出 %s 元",
			"more than the allocation has left: allocated %s, spent %s, %s left", Yuan(allocated), Yuan(spent), Yuan(allocated-spent))
	}
	return nil
}

// Original is what a reversal needs to know of the entry it undoes.
type Original struct {
	Kind      string
	AmountFen int64
	Reversal  bool  // the original is itself a reversal
	Reversed  bool  // the original was reversed already
	SpentFen  int64 // an allocation: what was spent from it
	Balance   Balance
}

// CheckReversal reports whether an entry may be reversed whole: not a
// reversal, not reversed before, with a reason, and leaving the balance
// whole (a receipt already allocated, or an allocation already spent
// from, is reversed only after what depends on it).
func CheckReversal(o Original, reason string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(reason)); n < 2 || n > 500 {
		return safetynet.Invalid("reason", "请填写冲销原因（2 到 500 字）", "give the reason for the reversal (2 to 500 characters)")
	}
	if o.Reversal {
		return safetynet.Conflict("entry", "冲销记录不能再冲销；请重新录入正确的记录", "a reversal cannot be reversed; enter the right entry again")
	}
	if o.Reversed {
		return safetynet.Conflict("entry", "该记录已冲销", "the entry was reversed already")
	}
	switch o.Kind {
	case Receipt:
		if o.AmountFen > o.Balance.Unallocated() {
			return safetynet.Conflict("entry", "冲销后已分配金额将超过到账金额：请先冲销相应分配（尚可分配 %s 元）",
				"reversing it would leave more allocated than received: reverse allocations first (%s left to allocate)", Yuan(o.Balance.Unallocated()))
		}
	case Allocation:
		if o.SpentFen > 0 {
			return safetynet.Conflict("entry", "该分配已有支出 %s 元：请先冲销支出", "%s was spent from this allocation: reverse the spending first", Yuan(o.SpentFen))
		}
	}
	return nil
}

// Shares splits amount between n targets in whole fen, the first ones
// taking the remainder, so that the shares add up to the amount.
func Shares(amount int64, n int) []int64 {
	if n <= 0 {
		return nil
	}
	out := make([]int64, n)
	each, rest := amount/int64(n), amount%int64(n)
	for i := range out {
		out[i] = each
		if int64(i) < rest {
			out[i]++
		}
	}
	return out
}

// DocumentType returns the content type of an attached document: a PDF or
// an image (JPEG, PNG, WebP); anything else is refused.
func DocumentType(name string, b []byte) (string, error) {
	if len(b) == 0 {
		return "", safetynet.Invalid("document", "附件为空", "the document is empty")
	}
	if len(b) > MaxDocument {
		return "", safetynet.Invalid("document", "附件过大（最多 8 MB）", "the document is too large (at most 8 MB)")
	}
	if utf8.RuneCountInString(name) > 120 {
		return "", safetynet.Invalid("document", "文件名过长", "the file name is too long")
	}
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff}):
		return "image/jpeg", nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "image/webp", nil
	}
	return "", safetynet.Invalid("document", "附件应为 PDF 或图片（JPEG、PNG、WebP）", "a document must be a PDF or an image (JPEG, PNG, WebP)")
}

// Day is t's local date at midnight.
func Day(t time.Time) time.Time {
	t = t.In(Zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Zone)
}

// ParseDay reads a local date written 2006-01-02.
func ParseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Zone)
	return t, err == nil
}

func oneOf(s string, l []string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// CheckOwner refuses a source owned by a place of another level than a
// county, a town or a village.
func CheckOwner(level string) error {
	switch level {
	case "county", "town", "village":
		return nil
	}
	return safetynet.Invalid("place_code", "资金来源应属于县（区）、乡镇（街道）或村（社区）", "a source is owned by a county, a town or a village")
}
