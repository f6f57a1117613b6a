package sqlstore_test

import (
	"testing"
	"time"

	"safetynet"
	"safetynet/access"
	"safetynet/idcard"
	"safetynet/services"
	"safetynet/sqlstore"
	"safetynet/sqlstore/storetest"
	"safetynet/visits"
)

// TestServicesStory: the town registers 阳光社工 with a contract covering
// 腰站社区's elderly living alone; a weekly cleaning by the resident
// helper 郭宗新 falls due; the social worker records it with the
// household's code, once though sent twice, at the contract's price;
// every refusal of the brief leaves nothing behind; the organisation's
// staff see only what their contract covers, an outside village nothing.
func TestServicesStory(t *testing.T) {
	zone := visits.Zone("")
	start := time.Date(2027, 3, 1, 9, 0, 0, 0, zone) // a Monday
	clock := storetest.NewClock(start)
	storetest.EachWith(t, clock, func(t *testing.T, s *sqlstore.Store) {
		clock.Set(start)
		f := newRelay(t, s)
		sys := access.System()
		social := actorOf(mustUser(t, s, sys, "chenjing", safetynet.RoleSocialWorker, "530325002"))
		other := actorOf(mustUser(t, s, sys, "otherorg", safetynet.RoleSocialWorker, "530325002"))
		xiyang := actorOf(mustUser(t, s, sys, "xiyang", safetynet.RoleVillageStaff, "530325002010"))
		if _, err := s.AssignCategory(ctx, f.village, safetynet.SubjectHousehold, f.household, safetynet.NewAssignment{Category: "dibao",
			Start: start.AddDate(-1, 0, 0), Reason: "低保"}); err != nil {
			t.Fatal(err)
		}
		// A household of the same village without the target group, and
		// 郭宗新, a resident who cleans for pay.
		plain, err := s.CreateHousehold(ctx, f.village, safetynet.HouseholdInput{PlaceCode: "530325002009-01-01", Address: "棠梨湾9号"},
			safetynet.PersonInput{Name: "郭宗新", IDNumber: newID("1968-02-02", idcard.Male)})
		if err != nil {
			t.Fatal(err)
		}
		hv, err := s.HouseholdView(ctx, f.village, plain)
		if err != nil {
			t.Fatal(err)
		}
		guo := hv.Members[0].ID

		contract := services.NewContract{Title: "2027年困难群众居家服务", DocNo: "胜街购〔2027〕3号", StartsOn: "2027-01-01", EndsOn: "2027-12-31",
			BudgetFen: 20_000_000, Prices: []services.Price{{Type: services.Cleaning, PriceFen: 3000}, {Type: services.DeepCleaning, PriceFen: 8000}},
			Categories: []string{"dibao"}}
		_, err = s.CreateServiceOrg(ctx, f.village, sqlstore.NewServiceOrg{Name: "阳光社工", Contract: &contract})
		wantCode(t, err, safetynet.EForbidden, "a village registers an organisation")
		bad := contract
		bad.Prices = []services.Price{{Type: services.Cleaning, PriceFen: -3000}}
		_, err = s.CreateServiceOrg(ctx, f.town, sqlstore.NewServiceOrg{Name: "阳光社工", Contract: &bad})
		wantCode(t, err, safetynet.EInvalid, "a negative price")
		org, err := s.CreateServiceOrg(ctx, f.town, sqlstore.NewServiceOrg{Name: "阳光社工", Contact: "陈静", Contract: &contract})
		if err != nil {
			t.Fatal(err)
		}
		rival, err := s.CreateServiceOrg(ctx, f.town, sqlstore.NewServiceOrg{Name: "夕阳红服务队", Contract: &contract})
		if err != nil {
			t.Fatal(err)
		}
		me, err := s.AddServiceWorker(ctx, f.town, org, sqlstore.NewServiceWorker{Name: "陈静", Kind: services.SocialWorker, Certified: true, Username: "chenjing"})
		if err != nil {
			t.Fatal(err)
		}
		helper, err := s.AddServiceWorker(ctx, f.town, org, sqlstore.NewServiceWorker{Kind: services.Helper, PersonID: guo})
		if err != nil {
			t.Fatal(err)
		}
		rivalWorker, err := s.AddServiceWorker(ctx, f.town, rival, sqlstore.NewServiceWorker{Name: "钱多", Kind: services.SocialWorker, Username: "otherorg"})
		if err != nil {
			t.Fatal(err)
		}
		o, err := s.ServiceOrg(ctx, f.village, org)
		if err != nil || len(o.Contracts) != 1 || len(o.Workers) != 2 || o.Contracts[0].Prices[0].PriceFen != 3000 {
			t.Fatalf("org as the village sees it = %+v %v", o, err)
		}
		if _, err := s.ServiceOrg(ctx, social, rival); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("a rival organisation's staff: %v", err)
		}
		kid := o.Contracts[0].ID

		// A weekly cleaning plan: the first week falls due at once.
		_, err = s.CreateServicePlan(ctx, f.town, services.NewPlan{ContractID: kid, HouseholdID: plain, Type: services.Cleaning,
			Frequency: services.Weekly, StartsOn: "2027-03-01", EndsOn: "2027-06-30"})
		wantCode(t, err, safetynet.EInvalid, "a plan for a household outside the contract")
		if _, err := s.CreateServicePlan(ctx, f.town, services.NewPlan{ContractID: kid, HouseholdID: f.household, Type: services.Cleaning,
			Frequency: services.Weekly, WorkerID: helper, StartsOn: "2027-03-01", EndsOn: "2027-06-30"}); err != nil {
			t.Fatal(err)
		}
		day, err := s.MyServices(ctx, social)
		if err != nil || len(day.Items) != 1 || day.Items[0].HouseholdName != "宋奶奶" || day.Items[0].WorkerName != "郭宗新" || day.Items[0].PriceFen != 3000 {
			t.Fatalf("the social worker's day = %+v %v", day, err)
		}
		if len(day.Types) != 2 || day.Types[0] != services.Cleaning || len(day.Households) != 1 || day.Households[0].Name != "宋奶奶" {
			t.Fatalf("the choices without a plan = %+v %+v", day.Types, day.Households)
		}
		if d, err := s.MyServices(ctx, other); err != nil || len(d.Items) != 0 {
			t.Fatalf("another organisation's day = %+v %v", d, err)
		}

		code, err := s.IssueHouseholdCode(ctx, f.village, f.household)
		if err != nil || !services.ValidCode(code) {
			t.Fatalf("code = %q %v", code, err)
		}
		plainCode, err := s.IssueHouseholdCode(ctx, f.village, plain)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.IssueHouseholdCode(ctx, xiyang, f.household); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("another village issues a code: %v", err)
		}
		photo := services.PNG(64, 48, 1)
		rec := services.NewRecord{ClientID: "svc-1", HouseholdID: f.household, WorkerID: helper, Type: services.Cleaning,
			StartedAt: start.Add(-time.Hour), EndedAt: start.Add(-10 * time.Minute), Photos: [][]byte{photo}, Code: code, Note: "打扫厨房",
			Location: &services.Location{LatE6: 25_674_000, LonE6: 104_255_000, AccuracyM: 20}}
		refuse := func(what string, code safetynet.ErrorCode, change func(r *services.NewRecord)) {
			t.Helper()
			r := rec
			r.ClientID = "svc-refused"
			change(&r)
			if _, _, err := s.RecordService(ctx, social, r); safetynet.CodeOf(err) != code {
				t.Fatalf("%s: %v, want %s", what, err, code)
			}
		}
		refuse("in the future", safetynet.EInvalid, func(r *services.NewRecord) { r.EndedAt = start.Add(time.Hour) })
		refuse("end before start", safetynet.EInvalid, func(r *services.NewRecord) { r.EndedAt = r.StartedAt.Add(-time.Minute) })
		refuse("another household's code", safetynet.EInvalid, func(r *services.NewRecord) { r.Code = plainCode })
		refuse("no confirmation", safetynet.EInvalid, func(r *services.NewRecord) { r.Code = "" })
		refuse("a photo that is not an image", safetynet.EInvalid, func(r *services.NewRecord) { r.Photos = [][]byte{[]byte("GIF89a not really")} })
		refuse("a truncated photo", safetynet.EInvalid, func(r *services.NewRecord) { r.Photos = [][]byte{photo[:len(photo)/2]} })
		refuse("a household outside the contract", safetynet.EInvalid, func(r *services.NewRecord) { r.HouseholdID, r.Code = plain, plainCode })
		refuse("a worker of another organisation", safetynet.EInvalid, func(r *services.NewRecord) { r.WorkerID = rivalWorker })
		refuse("a type the contract does not price", safetynet.EInvalid, func(r *services.NewRecord) { r.Type = services.Haircut })
		if _, _, err := s.RecordService(ctx, f.village, rec); safetynet.CodeOf(err) != safetynet.EForbidden {
			t.Fatalf("village staff record: %v", err)
		}
		got, created, err := s.RecordService(ctx, social, rec)
		if err != nil || !created || got.PriceFen != 3000 || got.WorkerName != "郭宗新" || got.ConfirmKind != services.ConfirmCode ||
			got.DueID != day.Items[0].ID || len(got.Evidence) != 1 || got.Month != "2027-03" || got.Location == nil {
			t.Fatalf("record = %+v %v %v", got, created, err)
		}
		again, created, err := s.RecordService(ctx, social, rec)
		if err != nil || created || again.ID != got.ID {
			t.Fatalf("resend = %+v %v %v", again, created, err)
		}
		if d, _ := s.MyServices(ctx, social); len(d.Items) != 0 {
			t.Fatalf("the cleaning is still due: %+v", d.Items)
		}
		// A signature instead of the code; the worker defaults to the recorder.
		sig, created, err := s.RecordService(ctx, social, services.NewRecord{ClientID: "svc-2", HouseholdID: f.household, Type: services.DeepCleaning,
			StartedAt: start.Add(-3 * time.Hour), EndedAt: start.Add(-2 * time.Hour), Signature: services.PNG(200, 80, 2)})
		if err != nil || !created || sig.WorkerID != me || sig.ConfirmKind != services.ConfirmSignature || sig.PriceFen != 8000 || sig.DueID != 0 {
			t.Fatalf("signed record = %+v %v", sig, err)
		}

		// Who sees what.
		for _, c := range []struct {
			who  string
			a    access.Actor
			want int
		}{{"social worker", social, 2}, {"rival staff", other, 0}, {"village", f.village, 2}, {"town", f.town, 2}, {"other village", xiyang, 0}} {
			l, err := s.ServiceRecords(ctx, c.a, sqlstore.ServiceRecordFilter{})
			if err != nil || len(l) != c.want {
				t.Errorf("%s sees %d records (%v), want %d", c.who, len(l), err, c.want)
			}
		}
		if _, err := s.ServiceRecordByID(ctx, xiyang, got.ID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("other village reads the record: %v", err)
		}
		if f, err := s.ServiceEvidenceFile(ctx, f.village, got.Evidence[0].ID); err != nil || f.Mime != "image/png" || len(f.Data) != len(photo) {
			t.Fatalf("evidence = %v", err)
		}
		if _, err := s.ServiceEvidenceFile(ctx, other, got.Evidence[0].ID); safetynet.CodeOf(err) != safetynet.ENotFound {
			t.Fatalf("rival staff read the evidence: %v", err)
		}

		// A week later the next cleaning falls due, once, however often the loop runs.
		clock.Advance(7 * 24 * time.Hour)
		g, ran, err := s.GenerateServiceDuesDaily(ctx)
		if err != nil || !ran || g.Created != 1 {
			t.Fatalf("next week = %+v %v %v", g, ran, err)
		}
		if _, ran, err := s.GenerateServiceDuesDaily(ctx); err != nil || ran {
			t.Fatalf("second run the same day: %v %v", ran, err)
		}
		if g, err := s.GenerateServiceDues(ctx); err != nil || g.Created != 0 {
			t.Fatalf("generation again = %+v %v", g, err)
		}
		if d, _ := s.MyServices(ctx, social); len(d.Items) != 1 || d.Items[0].DueOn != "2027-03-08" {
			t.Fatalf("next week's day = %+v", d.Items)
		}
	})
}
