package sqlstore_test

import (
	"bytes"
	"image"
	"image/png"
	"sync"
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/inspections"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
)

// rectFixture is the relay's fixture with an inspector, an inspection of
// the county sampling two villages (腰站 with 宋奶奶's household checked,
// 洗洋塘 with a household not found) and a check with two problems.
type rectFixture struct {
	relayFixture
	inspector, stranger, xiyang access.Actor
	inspection, check           int64
	other                       int64 // 洗洋塘's household
}

func newRectify(t *testing.T, s *sqlstore.Store, status string) rectFixture {
	t.Helper()
	f := rectFixture{relayFixture: newRelay(t, s)}
	sys := access.System()
	f.inspector = actorOf(mustUser(t, s, sys, "ducha", safetynet.RoleInspector, "530325"))
	f.stranger = actorOf(mustUser(t, s, sys, "ducha2", safetynet.RoleInspector, "530325"))
	f.xiyang = actorOf(mustUser(t, s, sys, "xiyangstaff", safetynet.RoleVillageStaff, "530325002010"))
	var err error
	f.other, err = s.CreateHousehold(ctx, sys, safetynet.HouseholdInput{PlaceCode: "530325002010", Address: "洗洋塘2号"},
		safetynet.PersonInput{Name: "张大爷", IDNumber: newID("1950-03-03", idcard.Male)})
	if err != nil {
		t.Fatal(err)
	}
	f.inspection, f.check = 1, 1
	now := s.Now().UnixMilli()
	started := int64(0)
	if status == "started" {
		started = now
	}
	for _, q := range []struct {
		q    string
		args []any
	}{
		{`INSERT INTO inspections (id, client_id, title, place_code, planned_on, villages_n, households_n, sample_seed, status, drawn_at, started_at,
			created_by, created_at) VALUES (1, 'insp-1', '富源县四不两直督查', '530325', '2026-12-01', 2, 1, 42, ?, ?, ?, 'ducha', ?)`,
			[]any{status, now, started, now}},
		{`INSERT INTO inspection_inspectors (inspection_id, user_id) VALUES (1, ?)`, []any{f.inspector.UserID}},
		{`INSERT INTO inspection_villages (inspection_id, village_code, seq) VALUES (1, '530325002009', 1), (1, '530325002010', 2)`, nil},
		{`INSERT INTO inspection_households (id, inspection_id, village_code, household_id, seq, status) VALUES (1, 1, '530325002009', ?, 1, ?),
			(2, 1, '530325002010', ?, 2, 'not_found')`, []any{f.household, map[bool]string{true: "checked", false: "pending"}[status == "started"], f.other}},
	} {
		if err := s.ExecRaw(ctx, q.q, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	if status == "started" {
		if err := s.ExecRaw(ctx, `INSERT INTO inspection_checks (id, client_id, inspection_id, sample_id, household_id, village_code, answers,
			item_notes, household_says, checked_by, checked_at) VALUES (1, 'chk-1', 1, 1, ?, '530325002009', 'visited=ok,ledger=problem,measures=problem',
			'{"ledger":"户主姓名有误","measures":"低保金未按月发放"}', '低保金没有按月到账', 'ducha', ?)`, f.household, now); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func rectWork(t *testing.T, s *sqlstore.Store, a access.Actor) []sqlstore.WorkItem {
	t.Helper()
	items, _, err := s.WorkList(ctx, a, sqlstore.WorkFilter{Mine: true})
	if err != nil {
		t.Fatal(err)
	}
	var out []sqlstore.WorkItem
	for _, w := range items {
		if w.Kind == inspections.KindRectify {
			out = append(out, w)
		}
	}
	return out
}

// TestRectifySecret: before the inspection starts nobody — not even its
// inspector — finds rectifications or scores of it, nor raises one.
func TestRectifySecret(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRectify(t, s, "drawn")
		for _, a := range []access.Actor{f.inspector, f.county, f.village, access.System()} {
			if _, err := s.InspectionScores(ctx, a, f.inspection); safetynet.CodeOf(err) != safetynet.ENotFound {
				t.Fatalf("%s: scores of an inspection not started: %v", a.Username, err)
			}
			if _, err := s.VillageScoreDetail(ctx, a, f.inspection, "530325002009"); safetynet.CodeOf(err) != safetynet.ENotFound {
				t.Fatalf("%s: village score of an inspection not started: %v", a.Username, err)
			}
			sum, err := s.ScoreSummary(ctx, a, sqlstore.ScoreFilter{Year: 2026, Place: "530325"})
			if a.Place == "530325002009" {
				wantCode(t, err, safetynet.ENotFound, "a village asking for the county")
				sum, err = s.ScoreSummary(ctx, a, sqlstore.ScoreFilter{Year: 2026})
			}
			if err != nil || sum.Total.Count != 0 || len(sum.Rows) != 0 || len(sum.Scores) != 0 {
				t.Fatalf("%s: year summary shows an inspection not started: %+v %v", a.Username, sum, err)
			}
		}
		_, _, err := s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{Village: "530325002009", Finding: "台账不全"})
		wantCode(t, err, safetynet.ENotFound, "raise before the start")
	})
}

// TestRectifyStory: the inspector raises two items from a check (a double
// tap is one item), the village sees them in its work list, reports one,
// the inspector reopens it, the village reports again and the inspector
// accepts; the village's score counts the problems, the household not
// found and the reopening; the neighbouring village sees nothing of it.
func TestRectifyStory(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, inspections.RectifyZone)
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRectify(t, s, "started")
		before := unread(t, s, f.village)
		c, err := s.RectifyCheck(ctx, f.inspector, f.inspection, f.check)
		if err != nil || len(c.Problems) != 2 || c.Problems[0].Item != "ledger" || c.Problems[0].Note != "户主姓名有误" || c.HouseholdName != "宋奶奶" || len(c.Raised) != 0 {
			t.Fatalf("check = %+v, %v", c, err)
		}
		raise := sqlstore.RectifyRaise{CheckID: f.check, Item: "ledger", Finding: "台账人口与实际不符"}
		id, created, err := s.RaiseRectification(ctx, f.inspector, f.inspection, raise)
		if err != nil || !created {
			t.Fatalf("raise = %d %v %v", id, created, err)
		}
		again, created, err := s.RaiseRectification(ctx, f.inspector, f.inspection, raise)
		if err != nil || created || again != id {
			t.Fatalf("second tap = %d %v %v; want the same item", again, created, err)
		}
		_, _, err = s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "visited", Finding: "x"})
		wantCode(t, err, safetynet.EInvalid, "an item answered ok")
		_, _, err = s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "measures", Finding: " "})
		wantCode(t, err, safetynet.EInvalid, "no finding")
		_, _, err = s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "measures", Finding: "低保金未按月发放", DueOn: "2026-11-30"})
		wantCode(t, err, safetynet.EInvalid, "a due date in the past")
		_, _, err = s.RaiseRectification(ctx, f.stranger, f.inspection, raise)
		wantCode(t, err, safetynet.EForbidden, "an inspector of another inspection")
		_, _, err = s.RaiseRectification(ctx, f.village, f.inspection, raise)
		wantCode(t, err, safetynet.EForbidden, "the village raising")
		second, _, err := s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "measures",
			Finding: "低保金未按月发放", DueOn: "2026-12-05"})
		if err != nil {
			t.Fatal(err)
		}
		// The village's work list and inbox.
		work := rectWork(t, s, f.village)
		if len(work) != 2 || work[0].ItemID != second || work[0].Level != safetynet.LevelVillage || work[0].PlaceName != "腰站社区" {
			t.Fatalf("village work = %+v", work)
		}
		if got := unread(t, s, f.village); got != before+2 {
			t.Fatalf("village told %d times, want 2", got-before)
		}
		r, err := s.Rectification(ctx, f.village, id)
		if err != nil || r.Status != inspections.RectifyOpen || r.DueOn != "2026-12-31" || r.RaisedBy != "ducha" || r.HouseholdName != "宋奶奶" ||
			r.Level != safetynet.LevelVillage || r.Version != 1 || len(r.History) != 1 || r.History[0].Text != "台账人口与实际不符" {
			t.Fatalf("rectification = %+v, %v", r, err)
		}
		if _, err := s.Rectification(ctx, f.xiyang, id); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("the neighbouring village sees the item: %v", err)
		}
		if l, n, err := s.Rectifications(ctx, f.xiyang, sqlstore.RectifyFilter{}); err != nil || n != 0 || len(l) != 0 {
			t.Fatalf("the neighbouring village lists %d items, %v", n, err)
		}
		wantCode(t, s.ReportRectification(ctx, f.xiyang, id, "已整改", nil, 1), safetynet.ENotFound, "the neighbouring village reporting")
		// Reported: the deadline closes.
		wantCode(t, s.ReportRectification(ctx, f.village, id, " ", nil, 1), safetynet.EInvalid, "an empty report")
		if err := s.ReportRectification(ctx, f.village, id, "已入户核实，更正台账人口", nil, 1); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.ReportRectification(ctx, f.village, id, "再报一次", nil, 1), safetynet.EConflict, "a stale version")
		wantCode(t, s.ReportRectification(ctx, f.village, id, "再报一次", nil, 2), safetynet.EConflict, "reporting a reported item")
		if work := rectWork(t, s, f.village); len(work) != 1 || work[0].ItemID != second {
			t.Fatalf("village work after the report = %+v", work)
		}
		wantCode(t, s.AcceptRectification(ctx, f.village, id, 2), safetynet.EForbidden, "the village accepting its own report")
		wantCode(t, s.ReopenRectification(ctx, f.inspector, id, "", "", 2), safetynet.EInvalid, "a reopening without a reason")
		if err := s.ReopenRectification(ctx, f.inspector, id, "户主姓名仍有误", "2026-12-10", 2); err != nil {
			t.Fatal(err)
		}
		if work := rectWork(t, s, f.village); len(work) != 2 {
			t.Fatalf("village work after the reopening = %+v", work)
		}
		// A report with a photo: a file that is no picture is refused on its field.
		if err := s.ReportRectification(ctx, f.village, id, "已更正户主姓名", []byte("not a picture"), 3); safetynet.AsError(err) == nil || safetynet.AsError(err).Field != "photo" {
			t.Fatalf("a bad photo: %v", err)
		}
		photo := rectPNG(t)
		if err := s.ReportRectification(ctx, f.village, id, "已更正户主姓名", photo, 3); err != nil {
			t.Fatal(err)
		}
		if b, err := s.RectificationPhoto(ctx, f.inspector, id); err != nil || !bytes.Equal(b, photo) {
			t.Fatalf("the report's photo: %d bytes, %v", len(b), err)
		}
		wantCode(t, func() error { _, err := s.RectificationPhoto(ctx, f.xiyang, id); return err }(), safetynet.ENotFound, "the neighbouring village's photo")
		wantCode(t, s.AcceptRectification(ctx, f.inspector, id, 3), safetynet.EConflict, "accepting a stale version")
		if err := s.AcceptRectification(ctx, f.inspector, id, 4); err != nil {
			t.Fatal(err)
		}
		r, err = s.Rectification(ctx, f.inspector, id)
		if err != nil || r.Status != inspections.RectifyAccepted || r.Reopens != 1 || r.AcceptedBy != "ducha" || r.ReportedBy != "腰站李梅" ||
			r.Report != "已更正户主姓名" || !r.HasPhoto || len(r.History) != 5 || r.History[2].Action != "rectify.reopen" || r.History[2].Text != "户主姓名仍有误" {
			t.Fatalf("accepted = %+v, %v", r, err)
		}
		// Scores: 腰站 lost 8 (ledger) + 10 (measures) + 3 (one reopening);
		// 洗洋塘 10 for the household not found. Past 2026-12-05 the
		// measures item is overdue: 5 more.
		sc, err := s.InspectionScores(ctx, f.county, f.inspection)
		if err != nil || len(sc.Villages) != 2 || sc.Villages[0].Score.Score != 79 || sc.Villages[1].Score.Score != 90 || sc.Total.Sum != 169 {
			t.Fatalf("scores = %+v, %v", sc, err)
		}
		clock.Set(time.Date(2026, 12, 6, 9, 0, 0, 0, inspections.RectifyZone))
		d, err := s.VillageScoreDetail(ctx, f.county, f.inspection, "530325002009")
		if err != nil || d.Score.Score != 74 || d.Overdue != 1 || len(d.Checks) != 1 || len(d.Checks[0].Problems) != 2 || len(d.NotFoundHouseholds) != 0 || len(d.Rects) != 2 {
			t.Fatalf("detail = %+v, %v", d, err)
		}
		if l, n, err := s.Rectifications(ctx, f.county, sqlstore.RectifyFilter{Overdue: true}); err != nil || n != 1 || l[0].ID != second {
			t.Fatalf("overdue list = %+v %d %v", l, n, err)
		}
		// Sums: the county's year is its town's; the town's, its villages'.
		sum, err := s.ScoreSummary(ctx, f.county, sqlstore.ScoreFilter{Year: 2026})
		if err != nil || sum.Total.Count != 2 || sum.Total.Sum != 164 || len(sum.Rows) != 1 || sum.Rows[0].Code != "530325002" || sum.Rows[0].Sum != 164 {
			t.Fatalf("county summary = %+v, %v", sum, err)
		}
		sum, err = s.ScoreSummary(ctx, f.county, sqlstore.ScoreFilter{Year: 2026, Place: "530325002"})
		if err != nil || len(sum.Rows) != 2 || sum.Rows[0].Sum+sum.Rows[1].Sum != 164 || sum.Parent != "530325" || sum.Total.Average() != 82 {
			t.Fatalf("town summary = %+v, %v", sum, err)
		}
		if sum, err := s.ScoreSummary(ctx, f.county, sqlstore.ScoreFilter{Year: 2025}); err != nil || sum.Total.Count != 0 {
			t.Fatalf("another year = %+v, %v", sum, err)
		}
		sum, err = s.ScoreSummary(ctx, f.xiyang, sqlstore.ScoreFilter{Year: 2026})
		if err != nil || sum.Total.Count != 1 || sum.Total.Sum != 90 || len(sum.Scores) != 1 {
			t.Fatalf("洗洋塘's own summary = %+v, %v", sum, err)
		}
		wantCode(t, func() error { _, err := s.VillageScoreDetail(ctx, f.xiyang, f.inspection, "530325002009"); return err }(),
			safetynet.ENotFound, "the neighbouring village's detail")
	})
}

// TestRectifyEscalation: an item not reported climbs village → town →
// county a week a level past its due day, swept from two stores on one
// PostgreSQL database at once, and moves exactly once each time.
func TestRectifyEscalation(t *testing.T) {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, inspections.RectifyZone)
	clock := storetest.NewClock(start)
	dsn := storetest.PostgresDSN(t)
	one, two := storetest.Open(t, dsn, clock), storetest.Open(t, dsn, clock)
	f := newRectify(t, one, "started")
	id, _, err := one.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "ledger",
		Finding: "台账人口与实际不符", DueOn: "2026-12-03"})
	if err != nil {
		t.Fatal(err)
	}
	sweep := func() int {
		var wg sync.WaitGroup
		var mu sync.Mutex
		n := 0
		for i := 0; i < 5; i++ {
			for _, s := range []*sqlstore.Store{one, two} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					res, err := s.Escalate(ctx)
					if err != nil {
						t.Error(err)
					}
					mu.Lock()
					n += res.Escalated
					mu.Unlock()
				}()
			}
		}
		wg.Wait()
		return n
	}
	clock.Set(time.Date(2026, 12, 3, 23, 0, 0, 0, inspections.RectifyZone))
	if n := sweep(); n != 0 {
		t.Fatalf("escalated %d on the due day", n)
	}
	town := unread(t, one, f.town)
	clock.Set(time.Date(2026, 12, 4, 0, 1, 0, 0, inspections.RectifyZone))
	if n := sweep(); n != 1 {
		t.Fatalf("escalated %d past the due day, want 1", n)
	}
	if w := rectWork(t, one, f.town); len(w) != 1 || w[0].ItemID != id || w[0].Level != safetynet.LevelTown || w[0].Escalations != 1 {
		t.Fatalf("town work = %+v", w)
	}
	if got := unread(t, one, f.town); got != town+1 {
		t.Fatalf("town told %d times, want once", got-town)
	}
	clock.Advance(7 * 24 * time.Hour)
	if n := sweep(); n != 1 {
		t.Fatalf("escalated %d after a week at the town, want 1", n)
	}
	r, err := two.Rectification(ctx, f.county, id)
	if err != nil || r.Level != safetynet.LevelCounty || r.Escalations != 2 || !r.Overdue {
		t.Fatalf("at the county = %+v, %v", r, err)
	}
	// Reported late: the deadline closes, the lateness stays in the score.
	if err := two.ReportRectification(ctx, f.village, id, "已更正", nil, r.Version); err != nil {
		t.Fatal(err)
	}
	if w := rectWork(t, one, f.county); len(w) != 0 {
		t.Fatalf("county work after the report = %+v", w)
	}
	d, err := one.VillageScoreDetail(ctx, f.county, f.inspection, "530325002009")
	if err != nil || d.Overdue != 1 {
		t.Fatalf("late report not counted: %+v, %v", d, err)
	}
}

// TestRectifyTwoAtOnce: two people of the village report the same item at
// the same moment on the same version: one report stands, the other is
// told someone changed it.
func TestRectifyTwoAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		f := newRectify(t, s, "started")
		id, _, err := s.RaiseRectification(ctx, f.inspector, f.inspection, sqlstore.RectifyRaise{CheckID: f.check, Item: "ledger", Finding: "台账人口与实际不符"})
		if err != nil {
			t.Fatal(err)
		}
		other := actorOf(mustUser(t, s, access.System(), "yaozhan2", safetynet.RoleVillageStaff, "530325002009"))
		errs := make(chan error, 2)
		var wg sync.WaitGroup
		for i, a := range []access.Actor{f.village, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.ReportRectification(ctx, a, id, "已更正台账 "+string(rune('A'+i)), nil, 1)
			}()
		}
		wg.Wait()
		close(errs)
		ok, conflicts := 0, 0
		for err := range errs {
			switch {
			case err == nil:
				ok++
			case safetynet.CodeOf(err) == safetynet.EConflict:
				conflicts++
			default:
				t.Fatalf("report: %v", err)
			}
		}
		r, err := s.Rectification(ctx, f.inspector, id)
		if ok != 1 || conflicts != 1 || err != nil || r.Version != 2 || len(r.History) != 2 {
			t.Fatalf("two at once: %d ok, %d conflicts; item %+v, %v", ok, conflicts, r, err)
		}
	})
}

// rectPNG is a small picture, as a phone would send with a report.
func rectPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
