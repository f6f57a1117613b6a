package httpserver_test

import (
	"net/http"
	"safetynet"
	"safetynet/access"
	"strings"
	"testing"

	"safetynet/campaigns"
	"safetynet/demo"
	"safetynet/sqlstore"
)

// enrolWalkCampaign seeds a running campaign of place over villages, with
// one work item for the left-behind elderly and a register stage.
func enrolWalkCampaign(t *testing.T, e *env, client, place string, villages [][2]string) int64 {
	t.Helper()
	id, err := e.store.SeedEnrolCampaign(ctx, sqlstore.EnrolSeed{ClientID: client, Title: "关爱服务行动", Place: place, StartsOn: "2021-09-01",
		EndsOn: "2030-12-31", CreatedBy: "county", Items: []sqlstore.EnrolSeedItem{{Title: "关爱留守老人", Groups: []string{"left_behind_elderly"}}},
		Stages:   []sqlstore.EnrolSeedStage{{Kind: campaigns.StageRegister, Title: "调查摸底", StartsOn: "2021-09-21", EndsOn: "2030-10-31"}},
		Villages: villages})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// enrolWalkVillage is a second village of 望城区's town, made for the walk:
// the outside campaign's village must differ from the walk's outside place
// (the walk tells their codes apart when comparing answers).
const enrolWalkVillage = "430112001077"

// The survey-and-register routes in the scope walk: a campaign of 富源县
// over 腰站社区 with the fixture's person listed, and one of 望城区 over a
// village of its own with a resident listed, give {campaignID},
// {villageCode} and {memberID}.
func init() {
	walkSetups = append(walkSetups, func(t *testing.T, e *env) map[target]map[string]string {
		t.Helper()
		sys := access.System()
		if _, err := e.store.CreatePlace(ctx, sys, safetynet.PlaceInput{Code: enrolWalkVillage, Name: "探针村", Level: safetynet.LevelVillage,
			ParentCode: "430112001"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.CreateHousehold(ctx, e.actor("wc-town"), safetynet.HouseholdInput{PlaceCode: enrolWalkVillage, Address: "探针村1号"},
			safetynet.PersonInput{Name: "探针村民"}); err != nil {
			t.Fatal(err)
		}
		hits, err := e.store.Search(ctx, e.actor("wc-town"), "探针村民", 1)
		if err != nil || len(hits) != 1 {
			t.Fatalf("walk resident: %v %v", hits, err)
		}
		ids := map[target]map[string]string{}
		for tg, f := range map[target]struct {
			who, place, village, town string
			person                    int64
		}{inside: {"village", "530325", demo.Yaozhan, "530325002", e.in.person},
			outside: {"wc-town", "430112", enrolWalkVillage, "430112001", hits[0].Person.ID}} {
			id := enrolWalkCampaign(t, e, "walk-enrol-"+f.who, f.place, [][2]string{{f.village, f.town}})
			a := e.actor(f.who)
			if _, err := e.store.AddEnrolMember(ctx, a, id, f.village, sqlstore.EnrolAdd{Group: "left_behind_elderly", PersonID: f.person}); err != nil {
				t.Fatalf("%s: member to walk with: %v", f.who, err)
			}
			sh, err := e.store.EnrolSheetOf(ctx, a, id, f.village)
			if err != nil || len(sh.Groups) != 1 || len(sh.Groups[0].Members) != 1 {
				t.Fatalf("%s: sheet to walk with: %+v %v", f.who, sh, err)
			}
			ids[tg] = map[string]string{"campaignID": itoa(id), "villageCode": f.village, "memberID": itoa(sh.Groups[0].Members[0].MemberID),
				"stageRowID": itoa(sh.RowID)}
		}
		return ids
	})
	apiBodies["POST /api/v1/campaigns/{campaignID}/villages/{villageCode}/register/members"] = `{"group":"left_behind_elderly","person_id":{person},"note":"探针"}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/villages/{villageCode}/register/members/{memberID}/remove"] = `{"reason":"探针"}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/villages/{villageCode}/register/submit"] = `{"version":1,"counts":{"left_behind_elderly":0}}`
	apiBodies["POST /api/v1/campaigns/{campaignID}/villages/{villageCode}/register/reopen"] = `{"reason":"探针"}`
}

// TestEnrolOutsideIs404: every survey-and-register route answers 404 for
// the other county's campaign, to its county officer's neighbour, through
// the API and the pages alike; the village's own list opens.
func TestEnrolOutsideIs404(t *testing.T) {
	e := newEnv(t)
	extra := walkExtras(t, e)
	in, out := extra[inside], extra[outside]
	tok := e.token("county")
	br := e.browser()
	br.login("county")
	for _, rt := range e.srv.Routes() {
		if !strings.HasPrefix(rt.Pattern, "/enrol/") && (!strings.Contains(rt.Pattern, "{campaignID}") ||
			!strings.Contains(rt.Pattern, "/register") && !strings.HasSuffix(rt.Pattern, "/progress")) {
			continue
		}
		path := strings.NewReplacer("{campaignID}", out["campaignID"], "{villageCode}", out["villageCode"], "{memberID}", out["memberID"],
			"{stageRowID}", out["stageRowID"]).Replace(rt.Pattern)
		var r response
		switch {
		case rt.API:
			r = e.do(rt.Method, path, tok, apiBodies[rt.Method+" "+rt.Pattern])
		case rt.Method == "GET":
			r = br.get(path)
		default:
			r = br.post(path, webForm)
		}
		if r.status != http.StatusNotFound {
			t.Errorf("%s %s outside: %d, want 404: %.200s", rt.Method, rt.Pattern, r.status, r.body)
		}
	}
	// The work list's line of a late stage leads to the list.
	r := br.get("/enrol/stages/" + in["stageRowID"])
	// (Another capability's walk may name its own campaign {campaignID}: the
	// stage row names this one.)
	want := "/villages/" + in["villageCode"] + "/register"
	at := strings.Index(r.body, `href="/campaigns/`)
	if r.status != http.StatusSeeOther || at < 0 || !strings.Contains(r.body, want) {
		t.Fatalf("the stage's link: %d %.200s, want a redirect to …%s", r.status, r.body, want)
	}
	link := r.body[at+len(`href="`):]
	r = br.get(link[:strings.Index(link, `"`)])
	if r.status != http.StatusOK || !strings.Contains(r.body, "赵金花") || !strings.Contains(r.body, "棠梨湾8号") {
		t.Fatalf("inside list: %d %.300s", r.status, r.body)
	}
}
