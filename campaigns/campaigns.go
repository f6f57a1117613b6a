package campaigns

import (
	"strings"
	"time"
	"unicode/utf8"

	"safetynet"
)

// DateLayout is how a local (Asia/Shanghai) date is written and stored.
const DateLayout = "2006-01-02"

// Zone is the local zone of campaign dates: a stage is late the day after
// its end in China, whatever the server's zone.
var Zone = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// Today is the local date of t.
func Today(t time.Time) string { return t.In(Zone).Format(DateLayout) }

// Limits of a campaign's parts.
const (
	MaxTitle  = 200
	MaxText   = 20000
	MaxItems  = 30
	MaxGoals  = 50
	MaxStages = 20
	MaxUnits  = 20 // lead and cooperating units of one work item
)

// Unit is a unit (站所) of a county or town that leads or cooperates on
// work items; its members are users of its place.
type Unit struct {
	ID        int64        `json:"id"`
	PlaceCode string       `json:"place_code"`
	Name      string       `json:"name"`
	Note      string       `json:"note"`
	Active    bool         `json:"active"`
	Members   []UnitMember `json:"members"`
	CreatedBy string       `json:"-"`
	CreatedAt int64        `json:"created_at"`
}

// UnitMember is a user who belongs to a unit, shown by name.
type UnitMember struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

// CheckUnit trims and validates a unit's name and note.
func CheckUnit(u Unit) (Unit, error) {
	u.Name = strings.TrimSpace(u.Name)
	u.Note = strings.TrimSpace(u.Note)
	switch {
	case u.Name == "":
		return u, safetynet.Invalid("name", "请填写站所名称", "the unit's name is required")
	case utf8.RuneCountInString(u.Name) > 100:
		return u, safetynet.Invalid("name", "站所名称太长（最多 100 字）", "the unit's name is too long (100 characters at most)")
	case utf8.RuneCountInString(u.Note) > 1000:
		return u, safetynet.Invalid("note", "备注太长（最多 1000 字）", "the note is too long (1000 characters at most)")
	}
	return u, nil
}

// ItemUnit is a unit's role on a work item.
type ItemUnit struct {
	UnitID int64  `json:"unit_id"`
	Name   string `json:"name"`
	Role   string `json:"role"` // UnitRoles
}

// Item is a work item (重点工作内容) for target groups, with its lead and
// cooperating units; every implementing village carries it out.
type Item struct {
	ID          int64      `json:"id"`
	Seq         int        `json:"seq"`
	Title       string     `json:"title"`
	Groups      []string   `json:"groups"` // category codes
	Description string     `json:"description"`
	Units       []ItemUnit `json:"units"`
}

// Goal is a measurable target. ItemSeq names the work item it measures
// (1-based, 0 for the whole campaign); ItemID is that item once stored.
type Goal struct {
	ID      int64  `json:"id"`
	Seq     int    `json:"seq"`
	ItemSeq int    `json:"item_seq"`
	ItemID  int64  `json:"item_id"`
	Title   string `json:"title"`
	Metric  string `json:"metric"`  // Metrics
	Group   string `json:"group"`   // a category code
	Measure string `json:"measure"` // MetricMeasureShare: the measure's code
	Target  int64  `json:"target"`  // per mille for a share, else a number
}

// Stage is a dated stage (方法步骤).
type Stage struct {
	ID       int64  `json:"id"`
	Seq      int    `json:"seq"`
	Kind     string `json:"kind"` // StageKinds
	Title    string `json:"title"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

// Campaign is a campaign with its parts. Villages are the implementing
// villages' codes (every village of the place unless narrowed).
type Campaign struct {
	ID         int64    `json:"id"`
	ClientID   string   `json:"client_id"`
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	DocNo      string   `json:"doc_no"`
	PlaceCode  string   `json:"place_code"`
	PlaceName  string   `json:"place_name"`
	StartsOn   string   `json:"starts_on"`
	EndsOn     string   `json:"ends_on"`
	Aims       string   `json:"aims"`
	Status     string   `json:"status"`
	CopiedFrom int64    `json:"copied_from"`
	Version    int      `json:"version"`
	CreatedBy  string   `json:"-"` // a login name, never shown
	CreatedAt  int64    `json:"created_at"`
	UpdatedAt  int64    `json:"updated_at"`
	Goals      []Goal   `json:"goals"`
	Items      []Item   `json:"items"`
	Stages     []Stage  `json:"stages"`
	Villages   []string `json:"villages"`
}

func validDate(s string) bool {
	_, err := time.Parse(DateLayout, s)
	return err == nil
}

// Check trims and validates a campaign before it is stored: a kind, a
// title, a period; stages ordered and inside the period; goals with a
// valid metric, group and target (a share at most 1000 per mille); work
// items with valid target groups and at most one lead unit each. It
// numbers items, goals and stages in order. Errors name the row.
func Check(c Campaign) (Campaign, error) {
	c.Title = strings.TrimSpace(c.Title)
	c.DocNo = strings.TrimSpace(c.DocNo)
	c.Aims = strings.TrimSpace(c.Aims)
	c.StartsOn = strings.TrimSpace(c.StartsOn)
	c.EndsOn = strings.TrimSpace(c.EndsOn)
	switch {
	case !Kinds.Valid(c.Kind):
		return c, safetynet.Invalid("kind", "请选择行动类型", "choose the campaign's kind")
	case c.Title == "":
		return c, safetynet.Invalid("title", "请填写行动名称", "the title is required")
	case utf8.RuneCountInString(c.Title) > MaxTitle:
		return c, safetynet.Invalid("title", "行动名称太长（最多 %d 字）", "the title is too long (%d characters at most)", MaxTitle)
	case utf8.RuneCountInString(c.DocNo) > 100:
		return c, safetynet.Invalid("doc_no", "文号太长（最多 100 字）", "the document number is too long (100 characters at most)")
	case utf8.RuneCountInString(c.Aims) > MaxText:
		return c, safetynet.Invalid("aims", "指导思想和目标太长（最多 %d 字）", "the aims are too long (%d characters at most)", MaxText)
	case !validDate(c.StartsOn):
		return c, safetynet.Invalid("starts_on", "开始日期不对，应为 年-月-日", "the start date must be YYYY-MM-DD")
	case !validDate(c.EndsOn):
		return c, safetynet.Invalid("ends_on", "结束日期不对，应为 年-月-日", "the end date must be YYYY-MM-DD")
	case c.EndsOn < c.StartsOn:
		return c, safetynet.Invalid("ends_on", "结束日期早于开始日期", "the end date is before the start date")
	case len(c.Items) > MaxItems:
		return c, safetynet.Invalid("items", "工作内容最多 %d 项", "at most %d work items", MaxItems)
	case len(c.Goals) > MaxGoals:
		return c, safetynet.Invalid("goals", "目标最多 %d 项", "at most %d goals", MaxGoals)
	case len(c.Stages) > MaxStages:
		return c, safetynet.Invalid("stages", "阶段最多 %d 个", "at most %d stages", MaxStages)
	}
	var err error
	for i := range c.Items {
		if c.Items[i], err = checkItem(c.Items[i], i+1); err != nil {
			return c, err
		}
	}
	for i := range c.Goals {
		if c.Goals[i], err = checkGoal(c.Goals[i], i+1, len(c.Items)); err != nil {
			return c, err
		}
	}
	for i := range c.Stages {
		if c.Stages[i], err = checkStage(c.Stages[i], i+1, c.StartsOn, c.EndsOn); err != nil {
			return c, err
		}
		if i > 0 {
			p := c.Stages[i-1]
			if c.Stages[i].StartsOn < p.StartsOn || c.Stages[i].EndsOn < p.EndsOn {
				return c, safetynet.Invalid("stages", "第 %d 个阶段早于前一个阶段：阶段应按时间先后排列", "stage %d is before the one above it: stages go in order of time", i+1)
			}
		}
	}
	if c.Kind == KindScreening {
		n := 0
		for _, s := range c.Stages {
			if s.Kind == StageScreen {
				n++
			}
		}
		if n != 1 {
			return c, safetynet.Invalid("stages", "集中排查应有且只有一个“集中排查”阶段", "a concentrated screening has exactly one screening stage")
		}
	}
	seen := map[string]bool{}
	for _, v := range c.Villages {
		if seen[v] {
			return c, safetynet.Invalid("villages", "实施村重复了", "a village is listed twice")
		}
		seen[v] = true
	}
	return c, nil
}

func checkItem(it Item, n int) (Item, error) {
	it.Seq = n
	it.Title = strings.TrimSpace(it.Title)
	it.Description = strings.TrimSpace(it.Description)
	switch {
	case it.Title == "":
		return it, safetynet.Invalid("items", "第 %d 项工作内容没有名称", "work item %d has no title", n)
	case utf8.RuneCountInString(it.Title) > MaxTitle:
		return it, safetynet.Invalid("items", "第 %d 项工作内容名称太长", "work item %d's title is too long", n)
	case utf8.RuneCountInString(it.Description) > MaxText:
		return it, safetynet.Invalid("items", "第 %d 项工作内容说明太长", "work item %d's description is too long", n)
	case len(it.Units) > MaxUnits:
		return it, safetynet.Invalid("items", "第 %d 项工作内容的站所太多（最多 %d 个）", "work item %d has too many units (%d at most)", n, MaxUnits)
	}
	groups := it.Groups[:0:0]
	for _, g := range it.Groups {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if _, ok := safetynet.CategoryByCode(g); !ok {
			return it, safetynet.Invalid("items", "第 %d 项工作内容的对象类别 %q 不存在", "work item %d: no category %q", n, g)
		}
		if !contains(groups, g) {
			groups = append(groups, g)
		}
	}
	it.Groups = groups
	leads := 0
	seen := map[int64]bool{}
	for _, u := range it.Units {
		switch {
		case u.UnitID <= 0:
			return it, safetynet.Invalid("items", "第 %d 项工作内容：请选择站所", "work item %d: choose a unit", n)
		case !UnitRoles.Valid(u.Role):
			return it, safetynet.Invalid("items", "第 %d 项工作内容：站所的角色不对", "work item %d: a unit's role is not valid", n)
		case seen[u.UnitID]:
			return it, safetynet.Invalid("items", "第 %d 项工作内容：同一站所列了两次", "work item %d: a unit is listed twice", n)
		}
		seen[u.UnitID] = true
		if u.Role == RoleLead {
			leads++
		}
	}
	if leads > 1 {
		return it, safetynet.Invalid("items", "第 %d 项工作内容只能有一个牵头站所", "work item %d has more than one lead unit", n)
	}
	return it, nil
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// NeedsGroup reports whether metric m is computed over a target group.
func NeedsGroup(m string) bool {
	switch m {
	case MetricActivities, MetricParticipants, MetricScreenedShare:
		return false
	}
	return true
}

func checkGoal(g Goal, n, items int) (Goal, error) {
	g.Seq = n
	g.Title = strings.TrimSpace(g.Title)
	g.Group = strings.TrimSpace(g.Group)
	g.Measure = strings.TrimSpace(g.Measure)
	switch {
	case g.Title == "":
		return g, safetynet.Invalid("goals", "第 %d 个目标没有名称", "goal %d has no title", n)
	case utf8.RuneCountInString(g.Title) > MaxTitle:
		return g, safetynet.Invalid("goals", "第 %d 个目标名称太长", "goal %d's title is too long", n)
	case !Metrics.Valid(g.Metric):
		return g, safetynet.Invalid("goals", "第 %d 个目标：请选择计算方式", "goal %d: choose a metric", n)
	case g.ItemSeq < 0 || g.ItemSeq > items:
		return g, safetynet.Invalid("goals", "第 %d 个目标：所属工作内容不存在", "goal %d: no such work item", n)
	}
	if g.Group != "" {
		if _, ok := safetynet.CategoryByCode(g.Group); !ok {
			return g, safetynet.Invalid("goals", "第 %d 个目标：对象类别 %q 不存在", "goal %d: no category %q", n, g.Group)
		}
	} else if NeedsGroup(g.Metric) {
		return g, safetynet.Invalid("goals", "第 %d 个目标：请选择对象类别", "goal %d: choose the target group", n)
	}
	if g.Metric == MetricMeasureShare {
		if g.Measure == "" {
			return g, safetynet.Invalid("goals", "第 %d 个目标：请选择帮扶措施", "goal %d: choose the measure", n)
		}
	} else {
		g.Measure = ""
	}
	if ShareMetric(g.Metric) {
		if g.Target < 1 || g.Target > 1000 {
			return g, safetynet.Invalid("goals", "第 %d 个目标：比例目标应在 0.1%% 到 100%% 之间", "goal %d: a share's target is between 0.1%% and 100%%", n)
		}
	} else if g.Target < 1 || g.Target > 100000000 {
		return g, safetynet.Invalid("goals", "第 %d 个目标：目标数应为正整数", "goal %d: the target is a positive whole number", n)
	}
	return g, nil
}

func checkStage(s Stage, n int, from, to string) (Stage, error) {
	s.Seq = n
	s.Title = strings.TrimSpace(s.Title)
	s.StartsOn = strings.TrimSpace(s.StartsOn)
	s.EndsOn = strings.TrimSpace(s.EndsOn)
	if !StageKinds.Valid(s.Kind) {
		return s, safetynet.Invalid("stages", "第 %d 个阶段：请选择阶段类型", "stage %d: choose the stage's kind", n)
	}
	if s.Title == "" {
		s.Title = StageKinds.Label(s.Kind, "zh")
	}
	switch {
	case utf8.RuneCountInString(s.Title) > MaxTitle:
		return s, safetynet.Invalid("stages", "第 %d 个阶段名称太长", "stage %d's title is too long", n)
	case !validDate(s.StartsOn) || !validDate(s.EndsOn):
		return s, safetynet.Invalid("stages", "第 %d 个阶段的日期不对，应为 年-月-日", "stage %d's dates must be YYYY-MM-DD", n)
	case s.EndsOn < s.StartsOn:
		return s, safetynet.Invalid("stages", "第 %d 个阶段的结束日期早于开始日期", "stage %d ends before it starts", n)
	case s.StartsOn < from || s.EndsOn > to:
		return s, safetynet.Invalid("stages", "第 %d 个阶段不在行动期限内（%s 至 %s）", "stage %d is outside the campaign's period (%s to %s)", n, from, to)
	}
	return s, nil
}

// CheckTransition refuses a status change other than draft → running →
// ended.
func CheckTransition(from, to string) error {
	switch {
	case from == StatusDraft && to == StatusRunning, from == StatusRunning && to == StatusEnded:
		return nil
	case from == to:
		return safetynet.Conflict("status", "行动已经是“%s”", "the campaign is already %s", Statuses.Label(to, "zh"))
	}
	return safetynet.Conflict("status", "行动“%s”时不能改为“%s”", "a %s campaign cannot become %s", Statuses.Label(from, "zh"), Statuses.Label(to, "zh"))
}

// CheckStart refuses to start a campaign without stages or villages.
func CheckStart(c Campaign) error {
	switch {
	case len(c.Stages) == 0:
		return safetynet.Invalid("stages", "请先填写至少一个阶段再启动", "add at least one stage before starting")
	case len(c.Villages) == 0:
		return safetynet.Invalid("villages", "没有实施村，不能启动", "there are no implementing villages")
	}
	return nil
}

// Shift returns a copy of c as a new draft starting on start: every date
// moved by the same number of days, ids cleared, everything else kept.
func Shift(c Campaign, start string) (Campaign, error) {
	from, err := time.Parse(DateLayout, c.StartsOn)
	if err != nil {
		return c, safetynet.Invalid("starts_on", "原行动的开始日期不对", "the template's start date is not valid")
	}
	to, err := time.Parse(DateLayout, strings.TrimSpace(start))
	if err != nil {
		return c, safetynet.Invalid("starts_on", "新的开始日期不对，应为 年-月-日", "the new start date must be YYYY-MM-DD")
	}
	days := int(to.Sub(from).Hours() / 24)
	move := func(s string) string {
		d, err := time.Parse(DateLayout, s)
		if err != nil {
			return s
		}
		return d.AddDate(0, 0, days).Format(DateLayout)
	}
	out := c
	out.ID, out.ClientID, out.Status, out.Version, out.CopiedFrom = 0, "", StatusDraft, 0, c.ID
	out.CreatedBy, out.CreatedAt, out.UpdatedAt = "", 0, 0
	out.StartsOn, out.EndsOn = move(c.StartsOn), move(c.EndsOn)
	out.Items = make([]Item, len(c.Items))
	for i, it := range c.Items {
		it.ID = 0
		it.Groups = append([]string(nil), it.Groups...)
		it.Units = append([]ItemUnit(nil), it.Units...)
		out.Items[i] = it
	}
	out.Goals = make([]Goal, len(c.Goals))
	for i, g := range c.Goals {
		g.ID, g.ItemID = 0, 0
		out.Goals[i] = g
	}
	out.Stages = make([]Stage, len(c.Stages))
	for i, s := range c.Stages {
		s.ID = 0
		s.StartsOn, s.EndsOn = move(s.StartsOn), move(s.EndsOn)
		out.Stages[i] = s
	}
	out.Villages = append([]string(nil), c.Villages...)
	return out, nil
}

// CurrentStage is the index of the stage under way on day (the latest
// started when stages overlap), or -1 before the first and after the last.
func CurrentStage(stages []Stage, day string) int {
	cur := -1
	for i, s := range stages {
		if s.StartsOn <= day && day <= s.EndsOn {
			cur = i
		}
	}
	return cur
}

// Submits reports whether a village submits its part of a stage of kind
// k (the survey-and-register list, the screening); the other stages are
// worked in, never submitted, so they are never late.
func Submits(k string) bool { return k == StageRegister || k == StageScreen }

// VillageStatus is what a village's stage row of kind k shows on day:
// late when a stage that is submitted is not, after the stage's end.
func VillageStatus(k, stored, endsOn, day string) string {
	if Submits(k) && stored != VillageSubmitted && day > endsOn {
		return VillageLate
	}
	return stored
}

// Activity is an activity recorded against a work item by a village
// (an event like 平安夜话).
type Activity struct {
	ID           int64    `json:"id"`
	ClientID     string   `json:"client_id"`
	CampaignID   int64    `json:"campaign_id"`
	ItemID       int64    `json:"item_id"`
	ItemTitle    string   `json:"item_title"`
	VillageCode  string   `json:"village_code"`
	VillageName  string   `json:"village_name"`
	Title        string   `json:"title"`
	HeldOn       string   `json:"held_on"`
	Venue        string   `json:"venue"`
	Participants int      `json:"participants"`
	Note         string   `json:"note"`
	PersonIDs    []int64  `json:"person_ids"`
	PersonNames  []string `json:"person_names"`
	HasPhoto     bool     `json:"has_photo"`
	Photo        []byte   `json:"-"`
	RecordedBy   string   `json:"recorded_by"` // display name
	RecordedAt   int64    `json:"recorded_at"`
}

// CheckActivity trims and validates an activity against its campaign's
// period and today: held within the period, not in the future.
func CheckActivity(a Activity, c Campaign, today string) (Activity, error) {
	a.ClientID = strings.TrimSpace(a.ClientID)
	a.Title = strings.TrimSpace(a.Title)
	a.Venue = strings.TrimSpace(a.Venue)
	a.Note = strings.TrimSpace(a.Note)
	a.HeldOn = strings.TrimSpace(a.HeldOn)
	switch {
	case a.ClientID == "" || len(a.ClientID) > 100:
		return a, safetynet.Invalid("client_id", "缺少记录编号，请刷新页面后再提交", "client_id is required (at most 100 characters)")
	case a.ItemID <= 0:
		return a, safetynet.Invalid("item_id", "请选择工作内容", "choose the work item")
	case a.Title == "":
		return a, safetynet.Invalid("title", "请填写活动名称", "the activity's title is required")
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		return a, safetynet.Invalid("title", "活动名称太长", "the title is too long")
	case !validDate(a.HeldOn):
		return a, safetynet.Invalid("held_on", "活动日期不对，应为 年-月-日", "the date must be YYYY-MM-DD")
	case a.HeldOn < c.StartsOn || a.HeldOn > c.EndsOn:
		return a, safetynet.Invalid("held_on", "活动日期不在行动期限内（%s 至 %s）", "the date is outside the campaign's period (%s to %s)", c.StartsOn, c.EndsOn)
	case a.HeldOn > today:
		return a, safetynet.Invalid("held_on", "活动日期不能晚于今天", "the date is in the future")
	case utf8.RuneCountInString(a.Venue) > 200:
		return a, safetynet.Invalid("venue", "地点太长", "the venue is too long")
	case a.Participants < 0 || a.Participants > 100000:
		return a, safetynet.Invalid("participants", "参与人数应为 0 到 100000", "participants must be between 0 and 100000")
	case utf8.RuneCountInString(a.Note) > 2000:
		return a, safetynet.Invalid("note", "备注太长（最多 2000 字）", "the note is too long (2000 characters at most)")
	case len(a.PersonIDs) > 500:
		return a, safetynet.Invalid("person_ids", "参与人员太多（最多 500 人）", "too many persons (500 at most)")
	}
	if len(a.PersonIDs) > a.Participants {
		a.Participants = len(a.PersonIDs)
	}
	return a, nil
}
