package sqlstore_test

import (
	"fmt"
	"math/rand"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/campaigns"
	"safetynet/idcard"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// goalsTree is the small tree with a second county, outside the campaign.
const goalsTree = smallTree + "530325002009-01,棠梨湾居民小组,group,530325002009\n530326,罗平县,county,5303\n530326001,罗雄街道,town,530326\n530326001001,某村,village,530326001\n"

var goalBirths atomic.Int64

type goalsFixture struct {
	county, town, village, village2, other, grid access.Actor
	hh                                           map[string]int64 // household by head's name
	person                                       map[string]int64
}

func goalExec(t *testing.T, s *sqlstore.Store, q string, args ...any) {
	t.Helper()
	if err := s.ExecRaw(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// goalHousehold registers a household with its head, holding category
// (when not "") since the start of 2027.
func goalHousehold(t *testing.T, s *sqlstore.Store, a access.Actor, place, name, category string) (int64, int64) {
	t.Helper()
	hh, err := s.CreateHousehold(ctx, a, safetynet.HouseholdInput{PlaceCode: place, Address: name + "家"},
		safetynet.PersonInput{Name: name, IDNumber: newID(time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(goalBirths.Add(1))).Format("2006-01-02"), idcard.Male)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.GoalsQueryInt(ctx, `SELECT head_person_id FROM households WHERE id = ?`, hh)
	if err != nil {
		t.Fatal(err)
	}
	if category != "" {
		if _, err := s.AssignCategory(ctx, a, safetynet.SubjectPerson, p, safetynet.NewAssignment{Category: category,
			Start: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
	}
	return hh, p
}

// goalCampaign writes campaign 41 of 富源县 directly (the camp helper's
// forms make it in the product): 2027-03-01 to 2027-06-30, its three
// villages, one work item led by the town's office, a register stage and
// a goal per metric.
func goalCampaign(t *testing.T, s *sqlstore.Store, leadUser int64) {
	t.Helper()
	goalExec(t, s, `INSERT INTO campaigns (id, client_id, kind, title, doc_no, place_code, starts_on, ends_on, status, created_by, created_at, updated_at)
		VALUES (41, 'c41', 'care', '关爱行动', '富民办发[2027]1号', '530325', '2027-03-01', '2027-06-30', 'running', 'fuyuan', 1, 1)`)
	for _, v := range [][2]string{{"530325002009", "530325002"}, {"530325002010", "530325002"}, {"530325001001", "530325001"}} {
		goalExec(t, s, `INSERT INTO campaign_villages (campaign_id, village_code, town_code) VALUES (41, ?, ?)`, v[0], v[1])
	}
	goalExec(t, s, `INSERT INTO campaign_items (id, campaign_id, seq, title, groups) VALUES (51, 41, 1, '关爱留守老人', 'left_behind_elderly')`)
	goalExec(t, s, `INSERT INTO org_units (id, place_code, name, created_at) VALUES (61, '530325002', '社会事务办', 1)`)
	goalExec(t, s, `INSERT INTO org_unit_members (unit_id, user_id) VALUES (61, ?)`, leadUser)
	goalExec(t, s, `INSERT INTO campaign_item_units (item_id, unit_id, role) VALUES (51, 61, 'lead')`)
	goalExec(t, s, `INSERT INTO campaign_stages (id, campaign_id, seq, kind, title, starts_on, ends_on) VALUES (71, 41, 1, 'register', '登记造册', '2027-03-01', '2027-03-20')`)
	for i, g := range []struct {
		metric, group, measure string
		target                 int64
	}{
		{campaigns.MetricVisitedShare, "left_behind_elderly", "", 1000},
		{campaigns.MetricActivities, "", "", 2},
		{campaigns.MetricRegistered, "left_behind_elderly", "", 2},
		{campaigns.MetricMeasureShare, "left_behind_elderly", "dibao", 800},
		{campaigns.MetricScreenedShare, "", "", 1000},
		{campaigns.MetricCasesHelped, "left_behind_elderly", "", 1},
		{campaigns.MetricServedShare, "left_behind_elderly", "", 500},
		{campaigns.MetricParticipants, "", "", 20},
	} {
		goalExec(t, s, `INSERT INTO campaign_goals (id, campaign_id, item_id, seq, title, metric, group_code, measure, target)
			VALUES (?, 41, 51, ?, ?, ?, ?, ?, ?)`, i+1, i+1, campaigns.Metrics.Label(g.metric, "zh"), g.metric, g.group, g.measure, g.target)
	}
}

func goalVisit(t *testing.T, s *sqlstore.Store, hh int64, place, date string, campaign int64) {
	t.Helper()
	d, _ := time.ParseInLocation("2006-01-02", date, time.UTC)
	goalExec(t, s, `INSERT INTO visit_records (client_id, household_id, place_code, kind, result, made_at, made_date, visitor_id, visitor_name, created_at, campaign_id)
		VALUES (?, ?, ?, 'home', 'fine', ?, ?, 1, '网格员', ?, ?)`, fmt.Sprintf("v-%d-%s", hh, date), hh, place, d.UnixMilli(), date, d.UnixMilli(), campaign)
}

func newGoals(t *testing.T, s *sqlstore.Store) goalsFixture {
	t.Helper()
	mustImport(t, s, goalsTree)
	sys := access.System()
	f := goalsFixture{hh: map[string]int64{}, person: map[string]int64{}}
	f.county = actorOf(mustUser(t, s, sys, "fuyuan", safetynet.RoleCountyOfficer, "530325"))
	town := mustUser(t, s, sys, "shengjing", safetynet.RoleTownOfficer, "530325002")
	f.town = actorOf(town)
	f.village = actorOf(mustUser(t, s, sys, "yaozhan", safetynet.RoleVillageStaff, "530325002009"))
	f.village2 = actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
	f.other = actorOf(mustUser(t, s, sys, "luoping", safetynet.RoleCountyOfficer, "530326"))
	f.grid = actorOf(mustUser(t, s, sys, "gridw", safetynet.RoleGridWorker, "530325002009-01"))
	for _, h := range []struct{ place, name, cat string }{
		{"530325002009", "宋大爷", "left_behind_elderly"}, {"530325002009", "李奶奶", "left_behind_elderly"}, {"530325002009", "王叔", ""},
		{"530325002010", "张爷爷", "left_behind_elderly"}, {"530325002010", "赵奶奶", "left_behind_elderly"},
		{"530325001001", "钱爷爷", "left_behind_elderly"},
	} {
		f.hh[h.name], f.person[h.name] = goalHousehold(t, s, sys, h.place, h.name, h.cat)
	}
	goalCampaign(t, s, town.ID)
	// 腰站 registered 宋大爷 and 李奶奶; the others registered nobody yet.
	for _, n := range []string{"宋大爷", "李奶奶"} {
		goalExec(t, s, `INSERT INTO campaign_members (campaign_id, village_code, group_code, person_id, household_id, added_by, added_at)
			VALUES (41, '530325002009', 'left_behind_elderly', ?, ?, 'yaozhan', 1)`, f.person[n], f.hh[n])
	}
	goalVisit(t, s, f.hh["宋大爷"], "530325002009", "2027-04-02", 41)
	goalVisit(t, s, f.hh["王叔"], "530325002009", "2027-04-03", 41) // not of the group
	goalVisit(t, s, f.hh["赵奶奶"], "530325002010", "2027-04-10", 0)
	goalVisit(t, s, f.hh["张爷爷"], "530325002010", "2027-02-01", 41) // before the period
	goalVisit(t, s, f.hh["钱爷爷"], "530325001001", "2027-04-11", 41)
	for i, a := range []struct {
		village string
		n       int
	}{{"530325002009", 30}, {"530325002009", 12}, {"530325001001", 20}} {
		goalExec(t, s, `INSERT INTO campaign_activities (client_id, campaign_id, item_id, village_code, title, held_on, participants, recorded_by, recorded_at)
			VALUES (?, 41, 51, ?, '平安夜话', '2027-04-01', ?, 'yaozhan', 1)`, fmt.Sprint("a", i), a.village, a.n)
	}
	help := time.Date(2027, 4, 5, 9, 0, 0, 0, time.UTC).UnixMilli()
	goalExec(t, s, `INSERT INTO cases (id, household_id, place_code, village_code, urgency, status, opened_at, opened_by, first_help_at, updated_at)
		VALUES (81, ?, '530325002010', '530325002010', 'normal', 'open', ?, 'xiyang', ?, ?)`, f.hh["张爷爷"], help, help, help)
	goalExec(t, s, `INSERT INTO case_measures (case_id, kind, measure, status, period_start, created_at, created_by)
		VALUES (81, 'application', 'dibao', 'approved', '2027-04-01', 1, 'xiyang')`)
	goalExec(t, s, `INSERT INTO screening_records (client_id, campaign_id, household_id, village_code, place_code, screened_on, screener1, screener2,
		members, income_fen, recorded_by, recorded_at) VALUES ('s1', 41, ?, '530325002009', '530325002009', '2027-04-01', ?, ?, 1, 800000, 'yaozhan', 1)`,
		f.hh["王叔"], f.village.UserID, f.town.UserID)
	// 腰站 submitted the register stage in time, 洗洋塘 late, 某社区 not at all.
	goalExec(t, s, `INSERT INTO campaign_village_stages (campaign_id, stage_id, village_code, status, submitted_at) VALUES
		(41, 71, '530325002009', 'submitted', ?), (41, 71, '530325002010', 'submitted', ?)`,
		time.Date(2027, 3, 19, 8, 0, 0, 0, time.UTC).Unix(), time.Date(2027, 3, 25, 8, 0, 0, 0, time.UTC).Unix())
	return f
}

func goalByID(t *testing.T, g sqlstore.CampaignGoals, id int64) sqlstore.GoalProgress {
	t.Helper()
	for _, p := range g.Goals {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("goal %d missing in %+v", id, g.Goals)
	return sqlstore.GoalProgress{}
}

func fig(num, den, tagged, target int64) campaigns.Figure {
	return campaigns.Figure{Num: num, Den: den, Tagged: tagged, Target: target}
}

// TestGoalsProgress: every metric is computed from the records, per
// village, and summed per town and county; scope holds.
func TestGoalsProgress(t *testing.T) {
	clock := storetest.NewClock(time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC))
		f := newGoals(t, s)
		g, err := s.GoalsOf(ctx, f.county, 41, "")
		if err != nil {
			t.Fatal(err)
		}
		if g.PlaceCode != "530325" || len(g.Goals) != 8 || g.Elapsed != 508 {
			t.Fatalf("county page = %s %d goals elapsed %d", g.PlaceCode, len(g.Goals), g.Elapsed)
		}
		v := goalByID(t, g, 1)
		// 腰站: registered 宋大爷 and 李奶奶, 宋大爷 visited (tagged); 洗洋塘 by the register: 赵奶奶 visited untagged;
		// 某社区: 钱爷爷 visited tagged.
		if v.Total.Figure != fig(3, 5, 2, 1000) || v.Total.Status != campaigns.GoalOnTrack || len(v.Rows) != 2 {
			t.Fatalf("visited total = %+v rows %+v", v.Total, v.Rows)
		}
		if v.Rows[0].PlaceName != "中安街道" || v.Rows[0].Figure != fig(1, 1, 1, 1000) || v.Rows[0].Status != campaigns.GoalMet ||
			v.Rows[1].Figure != fig(2, 4, 1, 1000) || v.Rows[1].Status != campaigns.GoalBehind || v.Rows[1].Missing != 2 {
			t.Fatalf("visited rows = %+v", v.Rows)
		}
		want := map[int64]campaigns.Figure{
			2: fig(3, 0, 0, 6),    // activities, 2 per village
			3: fig(2, 0, 0, 6),    // registered
			4: fig(1, 5, 0, 800),  // dibao in force: 张爷爷
			5: fig(1, 6, 0, 1000), // screened: 王叔 of the 6 households
			6: fig(1, 0, 0, 3),    // 张爷爷's case helped in the period
			7: fig(0, 5, 0, 500),  // no service yet
			8: fig(62, 0, 0, 60),  // participants
		}
		for id, w := range want {
			if p := goalByID(t, g, id); p.Total.Figure != w {
				t.Errorf("goal %d (%s) total = %+v, want %+v", id, p.Metric, p.Total.Figure, w)
			}
		}
		// The town's page: its villages, summing to the county's town row.
		tg, err := s.GoalsOf(ctx, f.county, 41, "530325002")
		if err != nil {
			t.Fatal(err)
		}
		tv := goalByID(t, tg, 1)
		if tv.Total.Figure != v.Rows[1].Figure || len(tv.Rows) != 2 || tv.Rows[0].Figure != fig(1, 2, 1, 1000) || tv.Rows[1].Figure != fig(1, 2, 0, 1000) ||
			len(tg.Trail) != 1 || tg.Trail[0].Name != "富源县" {
			t.Fatalf("town visited = %+v rows %+v trail %+v", tv.Total, tv.Rows, tg.Trail)
		}
		// The village's list: 李奶奶 not visited yet.
		l, err := s.GoalListOf(ctx, f.village, 41, 1, "", "pending")
		if err != nil || l.PlaceCode != "530325002009" || len(l.Rows) != 1 || l.Rows[0].Name != "李奶奶" || l.Rows[0].Done {
			t.Fatalf("pending list = %+v %v", l, err)
		}
		if l, err = s.GoalListOf(ctx, f.county, 41, 1, "530325002010", "done"); err != nil || len(l.Rows) != 1 || l.Rows[0].Name != "赵奶奶" || l.Rows[0].Tagged {
			t.Fatalf("done list = %+v %v", l, err)
		}
		if l, err = s.GoalListOf(ctx, f.town, 41, 2, "", "all"); err != nil || len(l.Rows) != 2 || l.Rows[0].Name != "平安夜话" {
			t.Fatalf("activities list = %+v %v", l, err)
		}
		if l, err = s.GoalListOf(ctx, f.county, 41, 6, "", "all"); err != nil || len(l.Rows) != 1 || l.Rows[0].Name != "张爷爷" || l.Rows[0].Date != "2027-04-05" {
			t.Fatalf("cases list = %+v %v", l, err)
		}
		// Scope: the village sees its own village only; another county sees nothing.
		vg, err := s.GoalsOf(ctx, f.village, 41, "")
		if err != nil || vg.PlaceCode != "530325002009" || goalByID(t, vg, 1).Total.Figure != fig(1, 2, 1, 1000) || len(vg.Trail) != 0 {
			t.Fatalf("village page = %+v %v", vg, err)
		}
		if gg, err := s.GoalsOf(ctx, f.grid, 41, ""); err != nil || gg.PlaceCode != "530325002009" {
			t.Fatalf("grid worker's page = %+v %v", gg.PlaceCode, err)
		}
		if tg, err := s.GoalsOf(ctx, f.town, 41, ""); err != nil || tg.PlaceCode != "530325002" || len(goalByID(t, tg, 1).Rows) != 2 {
			t.Fatalf("town officer's page = %+v %v", tg.PlaceCode, err)
		}
		wantCode(t, func() error { _, err := s.GoalsOf(ctx, f.village, 41, "530325"); return err }(), safetynet.EInvalid, "village asks the county")
		wantCode(t, func() error { _, err := s.GoalsOf(ctx, f.village, 41, "530325002010"); return err }(), safetynet.EInvalid, "village asks another")
		wantCode(t, func() error { _, err := s.GoalsOf(ctx, f.other, 41, ""); return err }(), safetynet.ENotFound, "other county")
		wantCode(t, func() error { _, err := s.GoalListOf(ctx, f.other, 41, 1, "", ""); return err }(), safetynet.ENotFound, "other county's list")
		wantCode(t, func() error { _, err := s.CampaignReportOf(ctx, f.other, 41); return err }(), safetynet.ENotFound, "other county's report")
		// A draft is seen by its managers only.
		goalExec(t, s, `UPDATE campaigns SET status = 'draft' WHERE id = 41`)
		wantCode(t, func() error { _, err := s.GoalsOf(ctx, f.village, 41, ""); return err }(), safetynet.ENotFound, "village sees a draft")
		if _, err := s.GoalsOf(ctx, f.county, 41, ""); err != nil {
			t.Fatalf("owner sees the draft: %v", err)
		}
	})
}

// TestGoalsExamplesAndReport: a village marks its typical case once
// (a resend is the same), not another village's; the report holds the
// goals, figures, late villages and examples.
func TestGoalsExamplesAndReport(t *testing.T) {
	clock := storetest.NewClock(time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC))
		f := newGoals(t, s)
		in := sqlstore.NewExample{HouseholdID: f.hh["宋大爷"], Title: "结对关爱暖人心", Text: "网格员每周上门，帮助宋大爷办理慢病卡。"}
		e, err := s.MarkExample(ctx, f.village, 41, in)
		if err != nil || e.HouseholdName != "宋大爷" || e.VillageName != "腰站社区" || !e.CanRemove {
			t.Fatalf("mark = %+v %v", e, err)
		}
		again, err := s.MarkExample(ctx, f.village, 41, in)
		if err != nil || again.ID != e.ID {
			t.Fatalf("resend = %+v %v", again, err)
		}
		wantCode(t, func() error {
			_, err := s.MarkExample(ctx, f.village, 41, sqlstore.NewExample{HouseholdID: f.hh["赵奶奶"], Title: "x", Text: "y"})
			return err
		}(), safetynet.EInvalid, "another village's household")
		wantCode(t, func() error {
			_, err := s.MarkExample(ctx, f.village, 41, sqlstore.NewExample{HouseholdID: f.hh["李奶奶"], Title: " ", Text: "y"})
			return err
		}(), safetynet.EInvalid, "no title")
		wantCode(t, func() error {
			_, err := s.MarkExample(ctx, f.other, 41, in)
			return err
		}(), safetynet.ENotFound, "other county marks")
		ce, err := s.MarkExample(ctx, f.town, 41, sqlstore.NewExample{CaseID: 81, Title: "主动发现及时救助", Text: "张爷爷纳入低保。"})
		if err != nil || ce.HouseholdName != "张爷爷" || ce.VillageName != "洗洋塘社区" {
			t.Fatalf("case example = %+v %v", ce, err)
		}
		_, mine, err := s.CampaignExamples(ctx, f.village, 41)
		if err != nil || len(mine) != 1 {
			t.Fatalf("village's examples = %+v %v", mine, err)
		}
		wantCode(t, s.RemoveExample(ctx, f.village, 41, ce.ID), safetynet.ENotFound, "village removes another village's")
		r, err := s.CampaignReportOf(ctx, f.county, 41)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Examples) != 2 || r.Figures.Activities != 3 || r.Figures.Participants != 62 || r.Figures.VisitsTagged != 3 ||
			len(r.Figures.Registered) != 1 || r.Figures.Registered[0].Members != 2 || r.Figures.Registered[0].GroupName != "留守老人" ||
			len(r.Figures.Items) != 1 || r.Figures.Items[0].Activities != 3 {
			t.Fatalf("report figures = %+v examples %d", r.Figures, len(r.Examples))
		}
		if len(r.Late) != 2 || r.Late[0].VillageName != "某社区" || r.Late[0].Submitted != "" || r.Late[0].DaysLate != 42 ||
			r.Late[1].VillageName != "洗洋塘社区" || r.Late[1].Submitted != "2027-03-25" || r.Late[1].DaysLate != 5 {
			t.Fatalf("late = %+v", r.Late)
		}
		if err := s.RemoveExample(ctx, f.village, 41, e.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.RemoveExample(ctx, f.village, 41, e.ID), safetynet.ENotFound, "removed twice")
		if _, mine, _ = s.CampaignExamples(ctx, f.village, 41); len(mine) != 0 {
			t.Fatalf("after removal = %+v", mine)
		}
	})
}

func openGoalReminders(t *testing.T, s *sqlstore.Store, goal int64) int64 {
	t.Helper()
	n, err := s.GoalsQueryInt(ctx, `SELECT COUNT(*) FROM deadlines WHERE kind = ? AND item_id = ? AND status = 'open'`, campaigns.DeadlineGoal, goal)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGoalsReminders: goals behind open one reminder per village, told to
// the village and the lead unit; a second run (or process) opens none; the
// relay's sweep escalates it; it closes when the goal is met.
func TestGoalsReminders(t *testing.T) {
	start := time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newGoals(t, s)
		res, err := s.RemindGoals(ctx)
		if err != nil || res.Reviewed != 1 || res.Opened == 0 {
			t.Fatalf("review = %+v %v", res, err)
		}
		if n := openGoalReminders(t, s, 1); n != 2 { // 腰站 and 洗洋塘 behind on visits
			t.Fatalf("visit reminders = %d", n)
		}
		// Each step leads to the goal's progress at its village and names the goal.
		items, _, err := s.WorkList(ctx, f.town, sqlstore.WorkFilter{})
		if err != nil || len(items) == 0 {
			t.Fatalf("work list = %+v, %v", items, err)
		}
		goalSteps := 0
		for _, it := range items {
			if it.Kind == campaigns.DeadlineGoal {
				goalSteps++
			}
			if it.Kind == campaigns.DeadlineGoal && (!strings.HasPrefix(it.Link, "/campaigns/") || !strings.Contains(it.Link, "/goals?place=") || !strings.Contains(it.Subject, " · ")) {
				t.Errorf("goal step link %q, subject %q", it.Link, it.Subject)
			}
		}
		if goalSteps == 0 {
			t.Errorf("the town's work list shows %d goal steps", goalSteps)
		}
		if unread(t, s, f.village) == 0 || unread(t, s, f.town) == 0 {
			t.Fatal("village staff or lead unit not told")
		}
		told := unread(t, s, f.village)
		// Run again, as a second process would: nothing new.
		done := make(chan sqlstore.GoalRemindResult, 2)
		for range 2 {
			go func() { r, _ := s.RemindGoals(ctx); done <- r }()
		}
		for range 2 {
			if r := <-done; r.Opened != 0 {
				t.Fatalf("second review opened %+v", r)
			}
		}
		if openGoalReminders(t, s, 1) != 2 || unread(t, s, f.village) != told {
			t.Fatal("reminders doubled")
		}
		// A week later not met: the relay's sweep moves 腰站's reminder to the town.
		clock.Advance(8 * 24 * time.Hour)
		if _, err := s.Escalate(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.GoalsQueryInt(ctx, `SELECT COUNT(*) FROM deadlines WHERE kind = ? AND item_id = 1 AND level = 'town' AND owner_place = '530325002'`,
			campaigns.DeadlineGoal); n != 2 {
			t.Fatalf("escalated to town = %d", n)
		}
		// 李奶奶 is visited: 腰站's visit goal is met, its reminder closes.
		goalVisit(t, s, f.hh["李奶奶"], "530325002009", "2027-05-08", 41)
		if res, err = s.RemindGoals(ctx); err != nil || res.Closed == 0 {
			t.Fatalf("after the visit = %+v %v", res, err)
		}
		if openGoalReminders(t, s, 1) != 1 {
			t.Fatalf("visit reminders after 腰站 met = %d", openGoalReminders(t, s, 1))
		}
		// The campaign ends: every reminder is cancelled.
		goalExec(t, s, `UPDATE campaigns SET status = 'ended' WHERE id = 41`)
		if _, err := s.RemindGoals(ctx); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.GoalsQueryInt(ctx, `SELECT COUNT(*) FROM deadlines WHERE kind = ? AND status = 'open'`, campaigns.DeadlineGoal); n != 0 {
			t.Fatalf("open after the end = %d", n)
		}
	})
}

// TestGoalsSumOfPlaces: on generated data, every level's figures are the
// sums of its places' figures, for every goal.
func TestGoalsSumOfPlaces(t *testing.T) {
	clock := storetest.NewClock(time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC))
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		f := newGoals(t, s)
		rng := rand.New(rand.NewSource(12))
		villages := []string{"530325002009", "530325002010", "530325001001"}
		for i := range 30 {
			v := villages[rng.Intn(3)]
			cat := ""
			if rng.Intn(3) > 0 {
				cat = "left_behind_elderly"
			}
			hh, p := goalHousehold(t, s, access.System(), v, fmt.Sprint("村民", i), cat)
			if rng.Intn(2) == 0 {
				goalVisit(t, s, hh, v, fmt.Sprintf("2027-04-%02d", 1+rng.Intn(28)), int64(rng.Intn(2)*41))
			}
			if cat != "" && v == "530325002009" && rng.Intn(2) == 0 {
				goalExec(t, s, `INSERT INTO campaign_members (campaign_id, village_code, group_code, person_id, household_id, added_by, added_at)
					VALUES (41, ?, 'left_behind_elderly', ?, ?, 'yaozhan', 1)`, v, p, hh)
			}
			if rng.Intn(3) == 0 {
				goalExec(t, s, `INSERT INTO campaign_activities (client_id, campaign_id, item_id, village_code, title, held_on, participants, recorded_by, recorded_at)
					VALUES (?, 41, 51, ?, '走访慰问', '2027-04-20', ?, 'x', 1)`, fmt.Sprint("g", i), v, rng.Intn(40))
			}
		}
		county, err := s.GoalsOf(ctx, f.county, 41, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range county.Goals {
			var sum campaigns.Figure
			for _, r := range p.Rows {
				sum = sum.Add(r.Figure)
				town, err := s.GoalsOf(ctx, f.county, 41, r.PlaceCode)
				if err != nil {
					t.Fatal(err)
				}
				tp := goalByID(t, town, p.ID)
				var tsum campaigns.Figure
				for _, vr := range tp.Rows {
					tsum = tsum.Add(vr.Figure)
					vg, err := s.GoalsOf(ctx, f.county, 41, vr.PlaceCode)
					if err != nil {
						t.Fatal(err)
					}
					if got := goalByID(t, vg, p.ID).Total.Figure; got != vr.Figure {
						t.Errorf("goal %d village %s: own page %+v, town's row %+v", p.ID, vr.PlaceName, got, vr.Figure)
					}
				}
				if p.Share { // a share's target is the same at every level, not a sum
					tsum.Target = tp.Total.Figure.Target
				}
				if tsum != tp.Total.Figure || tp.Total.Figure != r.Figure {
					t.Errorf("goal %d town %s: villages sum %+v, town %+v, county's row %+v", p.ID, r.PlaceName, tsum, tp.Total.Figure, r.Figure)
				}
			}
			if p.Share {
				sum.Target = p.Total.Figure.Target
			}
			if sum != p.Total.Figure {
				t.Errorf("goal %d: towns sum %+v, county %+v", p.ID, sum, p.Total.Figure)
			}
		}
	})
}
