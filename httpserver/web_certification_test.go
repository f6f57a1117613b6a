package httpserver_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"safetynet/access"
	"safetynet/sqlstore"
)

// TestCertificationPages: the grid worker's list shows who is due with
// the note that the system does not replace the official certification;
// a home visit without a photo answers the form again with the field's
// message; a face recognition is recorded once however often the form is
// sent; the county reviews the overdue recipient; volunteers see nothing.
func TestCertificationPages(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	b.login("grid")
	page := func(b *browser, path string, status int, wants ...string) string {
		t.Helper()
		r := b.get(path)
		if r.status != status {
			t.Fatalf("%s: %d %.300s", path, r.status, r.body)
		}
		for _, w := range wants {
			if !strings.Contains(r.body, w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		return r.body
	}
	body := page(b, "/certifications", 200, "周玉兰", "最低生活保障", "不代替官方生存认证", `id="nav-certifications"`)
	m := regexp.MustCompile(`href="/certifications/(\d+)">\s*<strong><span data-user>周玉兰`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link to 周玉兰: %.2000s", body)
	}
	loc := "/certifications/" + m[1]
	page(b, loc, 200, "周玉兰", `id="cert-record-form"`, "人脸识别")
	today := e.store.Now().Format("2006-01-02")
	form := url.Values{"client_id": {"web-cert-0001"}, "method": {"home"}, "date": {today}}
	r := b.post(loc+"/record", form)
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "上门认证须附照片") {
		t.Fatalf("home visit without a photo: %d %.300s", r.status, r.body)
	}
	form.Set("method", "face")
	for range 2 {
		if r := b.post(loc+"/record", form); r.status != http.StatusSeeOther {
			t.Fatalf("record: %d %.300s", r.status, r.body)
		}
	}
	d, err := e.store.Certification(ctx, access.System(), mustAtoi(t, m[1]))
	if err != nil || len(d.Records) != 1 || d.Records[0].Method != "face" {
		t.Fatalf("records = %+v %v", d.Records, err)
	}
	if body := page(b, "/certifications", 200); strings.Contains(body, "周玉兰") {
		t.Error("周玉兰 is still due after the certification")
	}

	c := e.browser()
	c.login("county")
	body = page(c, "/certifications?tab=overdue", 200, "钱桂芳", "已逾期")
	m = regexp.MustCompile(`href="/certifications/(\d+)">\s*<strong><span data-user>钱桂芳`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link to 钱桂芳")
	}
	loc = "/certifications/" + m[1]
	page(c, loc, 200, `id="cert-review-form"`, "暂停发放待核")
	over, _ := e.store.Certification(ctx, access.System(), mustAtoi(t, m[1]))
	if r := c.post(loc+"/review", url.Values{"decision": {"suspend"}, "note": {"联系不上本人"}, "version": {fmt.Sprint(over.Version)}}); r.status != http.StatusSeeOther {
		t.Fatalf("review: %d %.300s", r.status, r.body)
	}
	page(c, loc, 200, "联系不上本人", `id="cert-review"`)
	page(c, "/certifications?tab=figures", 200, `id="cert-figures"`, "富源县")
	page(c, "/certifications/settings", 200, "特困人员供养", "每半年")

	v := e.browser()
	v.login("volunteer")
	if r := v.get("/certifications"); r.status != http.StatusForbidden {
		t.Errorf("volunteer: %d", r.status)
	}
	if l, err := e.store.Certifications(ctx, e.actor("dept"), sqlstore.CertificationFilter{}); err == nil || len(l) > 0 {
		t.Errorf("department sees %d certifications (%v)", len(l), err)
	}
}
