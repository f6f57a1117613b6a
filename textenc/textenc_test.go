package textenc

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestToUTF8(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("户主姓名,腰站社区")
	for _, tc := range []struct {
		name, in, want string
	}{
		{"utf8", "户主姓名,腰站社区", "户主姓名,腰站社区"},
		{"bom", "\ufeff户主姓名,腰站社区", "户主姓名,腰站社区"},
		{"gbk", gbk, "户主姓名,腰站社区"},
	} {
		got, err := ToUTF8(strings.NewReader(tc.in), 1<<20)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: ToUTF8 = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := ToUTF8(bytes.NewReader(make([]byte, 11)), 10); err == nil {
		t.Error("ToUTF8 accepted a file over the limit")
	}
}
