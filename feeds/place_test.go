package feeds

import "testing"

func TestLocate(t *testing.T) {
	places := []Place{
		{Code: "530325001", Name: "胜境街道", Level: "town"},
		{Code: "530325002", Name: "中安街道", Level: "town"},
		{Code: "530325001001", Name: "腰站社区", Level: "village", Town: "530325001"},
		{Code: "530325001002", Name: "新村", Level: "village", Town: "530325001"},
		{Code: "530325002007", Name: "新村", Level: "village", Town: "530325002"},
		{Code: "530325002008", Name: "新村社区", Level: "village", Town: "530325002"},
		{Code: "530325001010", Name: "洗洋塘社区居民委员会", Level: "village", Town: "530325001"},
	}
	l := NewLocator("530325", places, map[string]bool{"530325": true, "430112": true})
	cases := []struct{ name, addr, region, want string }{
		{"village in full", "云南省富源县胜境街道腰站社区棠梨湾12号", "530325", "530325001001"},
		{"village without its kind", "富源县腰站村3组", "530325", "530325001001"},
		{"longest name wins", "中安街道新村社区5号", "530325", "530325002008"},
		{"same name told apart by the town", "胜境街道新村8号", "530325", "530325001002"},
		{"same name, no town: the town is unknown too", "新村8号", "530325", "530325"},
		{"committee left out", "胜境街道洗洋塘社区8号", "530325", "530325001010"},
		{"committee and kind left out", "洗洋塘村3组", "530325", "530325001010"},
		{"town only", "胜境街道某某路1号", "530325", "530325001"},
		{"no place: the ID's county", "长沙市某路", "430112", "430112"},
		{"unknown region: the batch's county", "", "110101", "530325"},
		{"short form inside another word is not a name", "腰站点旁", "999999", "530325"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := l.Locate(c.addr, c.region); got != c.want {
				t.Errorf("Locate(%q, %q) = %s, want %s", c.addr, c.region, got, c.want)
			}
		})
	}
}
