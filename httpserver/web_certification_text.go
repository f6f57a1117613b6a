package httpserver

import "safetynet"

func init() {
	auditActions = append(auditActions,
		safetynet.Option{Code: "certification.record", ZH: "记录协助生存认证", EN: "survival certification assistance recorded"},
		safetynet.Option{Code: "certification.review", ZH: "生存认证暂停发放审核", EN: "survival certification suspension review"},
		safetynet.Option{Code: "certification.settings", ZH: "修改生存认证设置", EN: "survival certification settings changed"})
	auditObjects["certification"] = struct{ zh, en, path string }{"生存认证", "survival certification", "/certifications/"}
	auditObjects["certification_setting"] = struct{ zh, en, path string }{"生存认证设置", "survival certification setting", ""}
	for k, v := range map[string][2]string{"certification_method": {"认证方式", "method"}, "certification_review": {"审核结论", "review"},
		"late": {"逾期", "late"}, "months": {"认证周期（月）", "interval (months)"}, "active": {"需要认证", "requires certification"}} {
		if _, ok := detailKeys[k]; !ok {
			detailKeys[k] = v
		}
	}
}

// certificationDetailValue names the codes of certification audit details.
func (p *page) certificationDetailValue(key, v string) (string, bool) {
	switch key {
	case "certification_method":
		return p.T("certification.method." + v), true
	case "certification_review":
		if v == "" {
			return p.T("certification.review.none"), true
		}
		return p.T("certification.review." + v), true
	}
	return "", false
}
