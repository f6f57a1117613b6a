package httpserver

import (
	"safetynet"
	"safetynet/funds"
	"safetynet/sqlstore"
)

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "funds.source", ZH: "登记资金来源", EN: "fund source registered"},
		safetynet.Option{Code: "funds.entry", ZH: "资金记账", EN: "fund ledger entry"},
		safetynet.Option{Code: "funds.reverse", ZH: "资金冲销", EN: "fund entry reversed"},
		safetynet.Option{Code: "funds.document", ZH: "补充资金附件", EN: "fund document attached"})
	auditObjects["fund_source"] = struct{ zh, en, path string }{"资金来源", "fund source", "/funds/sources/"}
	for k, v := range map[string][2]string{"fund_entry": {"记账类别", "kind of entry"}, "fund_kind": {"来源类别", "kind of source"},
		"targets": {"对象数", "recipients"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
}

// fundsDetailValue names the codes of funds audit details.
func (p *page) fundsDetailValue(key, v string) (string, bool) {
	switch key {
	case "fund_entry":
		return p.T("funds.entry." + v), true
	case "fund_kind":
		return p.T("funds.kind." + v), true
	}
	return "", false
}

// Money formats fen as yuan for a page: "51,900.00 元", or "¥51,900.00".
func (p *page) Money(fen int64) string {
	if p.Lang == "en" {
		return "¥" + funds.Yuan(fen)
	}
	return funds.Yuan(fen) + " 元"
}

// EntryUse says in words what an entry went to.
func (p *page) EntryUse(e sqlstore.FundEntry) string { return entryUse(e, p.Lang) }

// fundsMaxBody bounds a form or request carrying documents: a few of
// funds.MaxDocument each.
const fundsMaxBody = 3*funds.MaxDocument + 1<<20
