package inspections

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// Checklist items, one line each on the inspector's phone. Their codes
// are stored in inspection_checks.answers and in rectifications.item:
// never rename one.
const (
	ItemVisited  = "visited"  // was the household visited as planned (visits module)
	ItemLedger   = "ledger"   // are its ledger data right (the register: members, categories, income)
	ItemMeasures = "measures" // did the measures in force reach it (relay: dibao, temporary assistance…)
	ItemServices = "services" // did the services recorded reach it (services module)
	ItemOpinion  = "opinion"  // what the household says: satisfied, or a complaint
)

// Items is the checklist, in the order asked.
var Items = safetynet.Vocab{
	{Code: ItemVisited, ZH: "按计划走访", EN: "visited as planned"},
	{Code: ItemLedger, ZH: "台账信息准确", EN: "ledger data right"},
	{Code: ItemMeasures, ZH: "帮扶措施落实到户", EN: "measures reached the household"},
	{Code: ItemServices, ZH: "服务记录属实", EN: "services recorded were given"},
	{Code: ItemOpinion, ZH: "群众评价满意", EN: "household satisfied"},
}

// Answers to a checklist item.
const (
	AnswerOK      = "ok"
	AnswerProblem = "problem"
	AnswerNA      = "na"
)

// Answers is the vocabulary of answers.
var Answers = safetynet.Vocab{
	{Code: AnswerOK, ZH: "符合", EN: "ok"},
	{Code: AnswerProblem, ZH: "有问题", EN: "problem"},
	{Code: AnswerNA, ZH: "不适用", EN: "not applicable"},
}

// Answer is one item's answer with its note.
type Answer struct {
	Item   string `json:"item"`
	Answer string `json:"answer"`
	Note   string `json:"note"`
}

// Limits of a check.
const (
	MaxNote      = 500 // characters, of a note or of what the household says
	MaxPhotos    = 4
	MaxPhotoSize = 2 << 20
)

// NewCheck is a household's check as the inspector's phone sends it.
// ClientID is made on the phone: sending it twice records one check.
type NewCheck struct {
	ClientID      string
	SampleID      int64 // the sampled household (inspection_households.id)
	Found         bool  // false: the household was not found (status not_found)
	Answers       []Answer
	HouseholdSays string
	Note          string
	Photos        [][]byte
	CheckedAt     time.Time // when it was made (offline: earlier than sent)
}

// CheckCheck checks a household's check: a client ID; when found, every
// checklist item answered once with a known answer, a note on every
// problem; when not found, no answers and a note saying what happened;
// notes of at most 500 characters, at most 4 photos of at most 2 MB
// each; a time neither in the future (beyond five minutes of clock skew)
// nor more than 30 days back. A zero CheckedAt is now. Answers come back
// in checklist order.
func CheckCheck(c NewCheck, now time.Time) (NewCheck, error) {
	c.ClientID = strings.TrimSpace(c.ClientID)
	c.HouseholdSays = strings.TrimSpace(c.HouseholdSays)
	c.Note = strings.TrimSpace(c.Note)
	if c.CheckedAt.IsZero() {
		c.CheckedAt = now
	}
	switch {
	case c.ClientID == "" || len(c.ClientID) > 64:
		return c, safetynet.Invalid("client_id", "缺少或过长的记录编号", "client_id is required (at most 64 characters)")
	case c.SampleID <= 0:
		return c, safetynet.Invalid("sample_id", "请选择抽中的家庭", "sample_id is required")
	case utf8.RuneCountInString(c.HouseholdSays) > MaxNote:
		return c, safetynet.Invalid("household_says", "群众反映不能超过500字", "household_says is longer than 500 characters")
	case utf8.RuneCountInString(c.Note) > MaxNote:
		return c, safetynet.Invalid("note", "备注不能超过500字", "note is longer than 500 characters")
	case len(c.Photos) > MaxPhotos:
		return c, safetynet.Invalid("photos", "照片不能超过4张", "at most 4 photos")
	case c.CheckedAt.After(now.Add(5 * time.Minute)):
		return c, safetynet.Invalid("checked_at", "检查时间不能晚于现在", "checked_at is in the future")
	case c.CheckedAt.Before(now.AddDate(0, 0, -30)):
		return c, safetynet.Invalid("checked_at", "只能补录30天内的检查", "checked_at is more than 30 days ago")
	}
	for i, p := range c.Photos {
		if len(p) == 0 || len(p) > MaxPhotoSize {
			return c, safetynet.Invalid("photos", "第%d张照片为空或超过2MB", "photo %d is empty or larger than 2 MB", i+1)
		}
	}
	if !c.Found {
		if len(c.Answers) > 0 {
			return c, safetynet.Invalid("answers", "未找到该户时不填检查项", "a household not found has no answers")
		}
		if c.Note == "" {
			return c, safetynet.Invalid("note", "请说明未找到该户的情况", "note: say what happened when the household was not found")
		}
		return c, nil
	}
	got := map[string]Answer{}
	for _, a := range c.Answers {
		a.Note = strings.TrimSpace(a.Note)
		label := Items.Label(a.Item, "zh")
		switch {
		case !Items.Valid(a.Item):
			return c, safetynet.Invalid("answers", "检查项无效：%s", "unknown checklist item %s", a.Item)
		case got[a.Item].Item != "":
			return c, safetynet.Text(safetynet.EInvalid, "answers", "检查项重复：“"+label+"”", "checklist item "+a.Item+" answered twice")
		case !Answers.Valid(a.Answer):
			return c, safetynet.Text(safetynet.EInvalid, "answers", "请为“"+label+"”选择符合、有问题或不适用", "the answer of "+a.Item+" must be ok, problem or na")
		case a.Answer == AnswerProblem && a.Note == "":
			return c, safetynet.Text(safetynet.EInvalid, "answers", "“"+label+"”有问题，请写明问题", a.Item+": a problem needs a note saying what is wrong")
		case utf8.RuneCountInString(a.Note) > MaxNote:
			return c, safetynet.Text(safetynet.EInvalid, "answers", "“"+label+"”的说明不能超过500字", a.Item+": the note is longer than 500 characters")
		}
		got[a.Item] = a
	}
	out := make([]Answer, 0, len(Items))
	for _, it := range Items {
		a, ok := got[it.Code]
		if !ok {
			return c, safetynet.Text(safetynet.EInvalid, "answers", "请回答“"+it.ZH+"”", "checklist item "+it.Code+" is not answered")
		}
		out = append(out, a)
	}
	c.Answers = out
	return c, nil
}

// EncodeAnswers writes answers as stored: item=answer,… in checklist order.
func EncodeAnswers(as []Answer) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		parts = append(parts, a.Item+"="+a.Answer)
	}
	return strings.Join(parts, ",")
}

// DecodeAnswers reads stored answers and their notes (item → note) back,
// in checklist order; unknown items are kept at the end, sorted.
func DecodeAnswers(s string, notes map[string]string) []Answer {
	var out []Answer
	for _, p := range strings.Split(s, ",") {
		item, ans, ok := strings.Cut(p, "=")
		if !ok || item == "" {
			continue
		}
		out = append(out, Answer{Item: item, Answer: ans, Note: notes[item]})
	}
	pos := func(item string) int {
		if i := slices.IndexFunc(Items, func(o safetynet.Option) bool { return o.Code == item }); i >= 0 {
			return i
		}
		return len(Items)
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := pos(out[i].Item), pos(out[j].Item)
		if pi != pj {
			return pi < pj
		}
		return out[i].Item < out[j].Item
	})
	return out
}

// Problems returns the answers found wanting: the findings a
// rectification is raised for.
func Problems(as []Answer) []Answer {
	var out []Answer
	for _, a := range as {
		if a.Answer == AnswerProblem {
			out = append(out, a)
		}
	}
	return out
}
