package httpserver_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"safetynet/feeds"
	"safetynet/idcard"
	"safetynet/sqlstore"
)

// feedWalkParams pushes a 医保 batch and uploads a 医保 file in 富源县
// (inside) and in 望城区 (outside every 富源县 user) and returns the path
// parameters of the feed routes for each target.
func feedWalkParams(t *testing.T, e *env) map[target]map[string]string {
	t.Helper()
	ids := map[target][2]string{}
	for _, c := range []struct {
		tg  target
		who string
	}{{inside, "county"}, {outside, "wc-county"}} {
		a := e.actor(c.who)
		// The walk normalises outside IDs in answers by replacing them: an
		// outside ID inside the missing one (987654321) would garble it.
		var batch, upload string
		for n := 0; batch == "" || c.tg == outside && strings.Contains(missingUser, batch); n++ {
			id := idcard.Generate(fixtureRand, "530325", mustBirth(), idcard.Male)
			b, _, err := e.store.PushFeedBatch(ctx, a, sqlstore.FeedPush{Department: "medical_insurance", BatchKey: fmt.Sprint("walk-", c.who, n),
				Rows: []feeds.Row{{No: 1, Key: "k", IDNumber: id, Name: "走查", EventType: "death", Date: "2025-01-02"}}})
			if err != nil {
				t.Fatalf("%s: push: %v", c.who, err)
			}
			batch = itoa(b.ID)
		}
		for upload == "" || c.tg == outside && strings.Contains(missingUser, upload) {
			id := idcard.Generate(fixtureRand, "530325", mustBirth(), idcard.Male)
			up, err := e.store.CreateFeedUpload(ctx, a, "medical_insurance", "", "walk.csv", []byte("身份证号,日期,姓名\n"+id+",2025-01-02,走查\n"))
			if err != nil {
				t.Fatalf("%s: upload: %v", c.who, err)
			}
			upload = itoa(up)
		}
		ids[c.tg] = [2]string{batch, upload}
	}
	out := map[target]map[string]string{missing: {"department": "medical_insurance", "batchID": missingUser, "uploadID": missingUser}}
	for tg, v := range ids {
		out[tg] = map[string]string{"department": "medical_insurance", "batchID": v[0], "uploadID": v[1]}
	}
	return out
}

func init() {
	walkSetups = append(walkSetups, feedWalkParams)
	// {department} names a vocabulary entry, not a record at a place; the
	// batches and uploads it leads to are scoped.
	unscopedParams["department"] = true
	apiBodies["POST /api/v1/feeds/{department}/batches"] = `{"batch_id":"walk","county_code":"{place}","rows":[]}`
	apiBodies["PUT /api/v1/users/{userID}/department"] = `{"department":""}`
}

func mustBirth() time.Time { return time.Date(1966, 6, 6, 0, 0, 0, 0, time.UTC) }
