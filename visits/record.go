package visits

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Checklist lists what a visitor may tick as looked at (all optional).
var Checklist = []string{"food", "warmth", "medicine", "house_safety", "mood", "income"}

// NewVisit is a visit record as a phone sends it. ClientID is made on the
// phone: sending it twice records one visit.
type NewVisit struct {
	ClientID    string
	DueID       int64 // the due visit it answers (0: a visit nobody asked for)
	HouseholdID int64
	Kind        string
	Result      string
	Note        string
	Photo       []byte
	Checklist   []string
	MadeAt      time.Time // when it was made (offline: earlier than sent)
	CampaignID  int64     // the running campaign (专项行动) it was made for, 0 for none
}

// MaxPhoto is the largest photo accepted, in bytes.
const MaxPhoto = 2 << 20

// CheckVisit checks a visit record: a client ID, a known kind and result,
// a note of at most 500 characters, a photo of at most 2 MB, known
// checklist items, and a time neither in the future (beyond five minutes
// of clock skew) nor more than 30 days back. A zero MadeAt is now.
func CheckVisit(v NewVisit, now time.Time) (NewVisit, error) {
	v.ClientID = strings.TrimSpace(v.ClientID)
	v.Note = strings.TrimSpace(v.Note)
	if v.MadeAt.IsZero() {
		v.MadeAt = now
	}
	switch {
	case v.ClientID == "" || len(v.ClientID) > 64:
		return v, &FieldError{"client_id", "缺少或过长的记录编号", "client_id is required (at most 64 characters)"}
	case v.DueID == 0 && v.HouseholdID == 0:
		return v, &FieldError{"household_id", "请选择走访的家庭", "household_id or due_id is required"}
	case !slices.Contains(Kinds, v.Kind):
		return v, &FieldError{"kind", "走访方式应为入户、电话或路遇", "kind must be home, call or passing"}
	case v.Result != ResultFine && v.Result != ResultNotFine:
		return v, &FieldError{"result", "走访结果应为一切正常或有困难", "result must be fine or not_fine"}
	case utf8.RuneCountInString(v.Note) > 500:
		return v, &FieldError{"note", "备注不能超过500字", "note is longer than 500 characters"}
	case len(v.Photo) > MaxPhoto:
		return v, &FieldError{"photo", "照片不能超过2MB", "photo is larger than 2 MB"}
	case v.MadeAt.After(now.Add(5 * time.Minute)):
		return v, &FieldError{"made_at", "走访时间不能晚于现在", "made_at is in the future"}
	case v.MadeAt.Before(now.AddDate(0, 0, -30)):
		return v, &FieldError{"made_at", "只能补录30天内的走访", "made_at is more than 30 days ago"}
	}
	for _, c := range v.Checklist {
		if !slices.Contains(Checklist, c) {
			return v, &FieldError{"checklist", "检查项无效：" + c, "unknown checklist item " + c}
		}
	}
	return v, nil
}

// Item is one line of the grid worker's day: a visit or call due, a
// must-visit, an outreach task, a pact round or a certification.
type Item struct {
	Section     string    `json:"section"` // visits, outreach, … (see Sections)
	ID          int64     `json:"id"`
	HouseholdID int64     `json:"household_id"`
	Name        string    `json:"name"`  // the head's name
	Place       string    `json:"place"` // the place's name
	What        string    `json:"what"`  // need or trigger: any, home, hospital…
	Due         time.Time `json:"due"`
	Overdue     bool      `json:"overdue"`
	Link        string    `json:"link"`
	// LabelZH and LabelEN name the item when What is not one of this
	// package's needs or triggers (an outreach task's measure).
	LabelZH string `json:"label_zh,omitempty"`
	LabelEN string `json:"label_en,omitempty"`
}

// Sections of the day, in order. Other capabilities add theirs.
const (
	SectionVisits   = "visits"
	SectionOutreach = "outreach"
)

// SortSection orders a section's items: overdue first, then by due time,
// then by household.
func SortSection(items []Item, now time.Time) {
	for i := range items {
		items[i].Overdue = !items[i].Due.IsZero() && items[i].Due.Before(now)
	}
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		return a.HouseholdID < b.HouseholdID
	})
}
