package sqlstore

import (
	"reflect"
	"testing"
)

func TestTextSQL(t *testing.T) {
	tests := []struct {
		name  string
		f     func(...string) string
		exprs []string
		sql   string
		args  []any
	}{
		{"one", func(x ...string) string { return "转交" + x[0] + "处理" }, []string{"p.name"},
			"CAST(? AS TEXT) || p.name || CAST(? AS TEXT)", []any{"转交", "处理"}},
		{"two in order", func(x ...string) string { return x[0] + " 项，转交" + x[1] }, []string{"g.n", "p.name"},
			"CAST(? AS TEXT) || g.n || CAST(? AS TEXT) || p.name || CAST(? AS TEXT)", []any{"", " 项，转交", ""}},
		{"two reversed", func(x ...string) string { return "转交" + x[1] + "：" + x[0] + " 项" }, []string{"g.n", "p.name"},
			"CAST(? AS TEXT) || p.name || CAST(? AS TEXT) || g.n || CAST(? AS TEXT)", []any{"转交", "：", " 项"}},
		{"none", func(x ...string) string { return "固定" }, nil, "CAST(? AS TEXT)", []any{"固定"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql, args := textSQL(tt.f, tt.exprs...)
			if sql != tt.sql || !reflect.DeepEqual(args, tt.args) {
				t.Errorf("textSQL = %q %q, want %q %q", sql, args, tt.sql, tt.args)
			}
		})
	}
}
