package httpserver_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"safetynet/idcard"
)

// postFile posts a multipart form with a file as the browser does.
func (b *browser) postFile(path, name string, data []byte, fields url.Values) response {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v[0])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.e.send(b.c, req)
}

// TestWebFeedUpload uploads a 医保 file in the bureau's own layout, maps
// its columns once, pushes it, and uploads it again: nothing twice, and
// the mapping is offered with the next file.
func TestWebFeedUpload(t *testing.T) {
	e := newEnv(t)
	br := e.browser()
	br.login("dept")
	other := idcard.Generate(fixtureRand, "530325", time.Date(1958, 1, 2, 0, 0, 0, 0, time.UTC), idcard.Male)
	csv := "结算单号,参保人姓名,证件号码,入院时间,自付（元）,住址\n" +
		"JS001,赵金花," + e.in.idNumber + ",2026/3/4,\"21,000\",棠梨湾\n" +
		"JS002,马某," + other + ",2026/3/5,900,富源县胜境街道洗洋塘社区\n" +
		"JS003,错某,12345,2026/3/5,900,\n"
	r := br.postFile("/feeds/upload", "住院结算3月.csv", []byte(csv), nil)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/feeds/uploads/") {
		t.Fatalf("upload: %d %.300s", r.status, r.body)
	}
	mapping := r.header.Get("Location")
	r = br.get(mapping)
	if r.status != 200 || !strings.Contains(r.body, "证件号码") || !strings.Contains(r.body, `value="id_number" selected`) {
		t.Fatalf("mapping page: %d %.2000s", r.status, r.body)
	}
	// 入院时间 and 自付 are not recognised: the bureau says what they are.
	form := url.Values{"col_0": {"row_key"}, "col_1": {"name"}, "col_2": {"id_number"}, "col_3": {"date"}, "col_4": {"oop_cost"},
		"col_5": {"address"}}
	if r := br.post(mapping, form); r.status != 400 || !strings.Contains(r.body, "事件类型") {
		t.Fatalf("no event type: %d %.300s", r.status, r.body)
	}
	form.Set("event_type", "hospitalisation")
	r = br.post(mapping, form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/feeds/batches/") {
		t.Fatalf("push: %d %.500s", r.status, r.body)
	}
	batch := r.header.Get("Location")
	r = br.get(batch)
	if r.status != 200 || !strings.Contains(r.body, `id="count-matched">1<`) || !strings.Contains(r.body, `id="count-unregistered">1<`) ||
		!strings.Contains(r.body, `id="count-rejected">1<`) || strings.Contains(r.body, e.in.idNumber) || !strings.Contains(r.body, idcard.Mask(e.in.idNumber)) {
		t.Fatalf("batch page: %d %.3000s", r.status, r.body)
	}
	if strings.Contains(r.body, "居民委员会") {
		t.Fatal("the department sees where the events landed in the register")
	}
	// The same file again: the same batch, nothing stored twice.
	r = br.postFile("/feeds/upload", "住院结算3月.csv", []byte(csv), nil)
	r = br.post(r.header.Get("Location"), form)
	if r.header.Get("Location") != batch {
		t.Fatalf("same file again: %d → %s, want %s", r.status, r.header.Get("Location"), batch)
	}
	// A new file of the same layout gets the saved mapping.
	r = br.postFile("/feeds/upload", "住院结算4月.csv", []byte(strings.ReplaceAll(csv, "2026/3/", "2026/4/")), nil)
	r = br.get(r.header.Get("Location"))
	if !strings.Contains(r.body, `value="date" selected`) || !strings.Contains(r.body, `value="oop_cost" selected`) || !strings.Contains(r.body, `value="hospitalisation" selected`) {
		t.Fatalf("saved mapping not offered: %.3000s", r.body)
	}
	// The county officer sees the batch with where the events landed.
	cb := e.browser()
	cb.login("county")
	if r := cb.get(batch); r.status != 200 || !strings.Contains(r.body, "洗洋塘社区居民委员会") || !strings.Contains(r.body, "腰站社区居民委员会") {
		t.Fatalf("county's view: %d %.2000s", r.status, r.body)
	}
	if r := cb.get("/feeds"); r.status != 200 || !strings.Contains(r.body, "住院结算3月.csv") || !strings.Contains(r.body, "残联") {
		t.Fatalf("county's list: %d %.2000s", r.status, r.body)
	}
	// 残联 does not see 医保's batch.
	db := e.browser()
	db.login("dept-dpf")
	if r := db.get(batch); r.status != 404 {
		t.Fatalf("残联 on 医保's batch: %d", r.status)
	}
}
