package httpserver

import (
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"safetynet"
)

// auditActions name what an audit entry records, in both languages; the
// audit page lists them as the action filter's choices.
var auditActions = safetynet.Vocab{
	{Code: "auth.login", ZH: "登录", EN: "logged in"},
	{Code: "auth.login_failed", ZH: "登录失败", EN: "failed login"},
	{Code: "user.create", ZH: "新建用户", EN: "user created"},
	{Code: "user.update", ZH: "修改用户", EN: "user changed"},
	{Code: "user.disable", ZH: "停用用户", EN: "user disabled"},
	{Code: "user.enable", ZH: "启用用户", EN: "user enabled"},
	{Code: "user.password_change", ZH: "修改密码", EN: "password changed"},
	{Code: "user.password_reset", ZH: "重置密码", EN: "password reset"},
	{Code: "place.create", ZH: "添加地区", EN: "place added"},
	{Code: "place.update", ZH: "修改地区", EN: "place changed"},
	{Code: "place.rename", ZH: "地区改名", EN: "place renamed"},
	{Code: "place.move", ZH: "移动地区", EN: "place moved"},
	{Code: "place.import", ZH: "导入行政区划", EN: "divisions imported"},
	{Code: "case.view", ZH: "查看案件", EN: "case viewed"},
	{Code: "clue.view", ZH: "查看线索", EN: "clue viewed"},
	{Code: "household.create", ZH: "登记家庭", EN: "household registered"},
	{Code: "household.update", ZH: "修改家庭信息", EN: "household changed"},
	{Code: "household.view", ZH: "查看一户一表", EN: "household form viewed"},
	{Code: "household.reveal", ZH: "查看家庭完整号码", EN: "household's full number viewed"},
	{Code: "household.head", ZH: "变更户主", EN: "head of household changed"},
	{Code: "household.merge", ZH: "合户", EN: "households merged"},
	{Code: "household.split", ZH: "分户", EN: "household split"},
	{Code: "person.create", ZH: "新增成员", EN: "member added"},
	{Code: "person.update", ZH: "修改个人信息", EN: "person changed"},
	{Code: "person.view", ZH: "查看个人档案", EN: "person's file viewed"},
	{Code: "person.reveal", ZH: "查看完整身份证号或电话", EN: "full ID or phone number viewed"},
	{Code: "person.deceased", ZH: "登记死亡", EN: "death recorded"},
	{Code: "person.moved_away", ZH: "登记迁出", EN: "moved away"},
	{Code: "person.move", ZH: "成员迁移", EN: "member moved"},
	{Code: "person.duplicate", ZH: "处理重复登记", EN: "duplicate decided"},
	{Code: "category.add", ZH: "纳入监测类别", EN: "category added"},
	{Code: "category.end", ZH: "结束监测类别", EN: "category ended"},
	{Code: "register.import", ZH: "导入台账", EN: "ledger imported"},
	{Code: "register.export", ZH: "导出台账", EN: "ledger exported"},
	{Code: "import.upload", ZH: "上传台账文件", EN: "ledger file uploaded"},
	{Code: "clue.report", ZH: "上报线索", EN: "clue reported"},
	{Code: "clue.acknowledge", ZH: "响应线索", EN: "clue acknowledged"},
	{Code: "clue.verify", ZH: "上门核实", EN: "verified at home"},
	{Code: "clue.link", ZH: "线索关联家庭", EN: "clue linked to a household"},
	{Code: "case.open", ZH: "立案", EN: "case opened"},
	{Code: "case.emergency", ZH: "紧急救助", EN: "emergency help"},
	{Code: "case.close", ZH: "结案", EN: "case closed"},
	{Code: "case.reopen", ZH: "重新办理", EN: "case reopened"},
	{Code: "measure.apply", ZH: "申请帮扶措施", EN: "measure applied for"},
	{Code: "measure.approved", ZH: "批准帮扶措施", EN: "measure approved"},
	{Code: "measure.rejected", ZH: "不予批准", EN: "measure rejected"},
	{Code: "followup.done", ZH: "记录回访", EN: "follow-up recorded"},
	{Code: "settings.time_limits", ZH: "修改办理时限", EN: "time limits changed"},
	{Code: "settings.measure", ZH: "修改帮扶措施目录", EN: "measure catalogue changed"},
	{Code: "rule.create", ZH: "新建规则", EN: "rule written"},
	{Code: "rule.update", ZH: "修改规则", EN: "rule changed"},
	{Code: "rule.publish", ZH: "发布规则", EN: "rule published"},
	{Code: "rule.retire", ZH: "停用规则", EN: "rule retired"},
	{Code: "rule.param", ZH: "修改规则参数", EN: "rule parameter set"},
	{Code: "screening.dismissed", ZH: "政策找人：不予处理", EN: "screening line dismissed"},
	{Code: "screening.applied", ZH: "政策找人：发起申请", EN: "application started from a screening line"},
	{Code: "screening.followup", ZH: "政策找人：继续关注", EN: "screening line kept for follow-up"},
	{Code: "outreach.done", ZH: "记录政策宣传", EN: "policy outreach recorded"},
}

// auditObjects name the kinds of record an entry is about, with the page
// that shows one.
var auditObjects = map[string]struct {
	zh, en, path string
}{
	"household": {"家庭", "household", "/households/"}, "person": {"人员", "person", "/persons/"},
	"clue": {"线索", "clue", "/clues/"}, "case": {"案件", "case", "/cases/"}, "user": {"用户", "user", "/users/"},
	"place": {"地区", "place", "/places/"}, "import": {"台账导入", "ledger import", "/imports/"},
	"measure": {"帮扶措施", "measure", ""}, "settings": {"设置", "settings", ""},
	"rule": {"规则", "rule", "/rules/"}, "param": {"规则参数", "rule parameter", ""},
	"screening_line": {"政策找人条目", "screening line", ""}, "outreach": {"政策宣传任务", "outreach task", ""},
}

// detailKeys label the fields of an entry's detail.
var detailKeys = map[string][2]string{
	"name": {"名称", "name"}, "level": {"级别", "level"}, "parent_code": {"上级", "parent"}, "reason": {"原因", "reason"},
	"file": {"文件", "file"}, "bytes": {"大小（字节）", "size (bytes)"}, "rows": {"行数", "rows"}, "created": {"新增", "created"},
	"updated": {"更新", "updated"}, "unchanged": {"未变", "unchanged"}, "dry_run": {"仅检查", "check only"},
	"household_id": {"家庭", "household"}, "person_id": {"人员", "person"}, "clue_id": {"线索", "clue"}, "case_id": {"案件", "case"},
	"head_person_id": {"户主", "head"}, "changed": {"修改的项目", "fields changed"}, "date": {"日期", "date"},
	"from": {"原家庭", "from household"}, "to": {"新家庭", "to household"}, "into": {"并入家庭", "into household"},
	"new_household": {"新家庭", "new household"}, "members": {"成员", "members"}, "source": {"来源", "source"},
	"urgency": {"紧急程度", "urgency"}, "measure": {"措施", "measure"}, "amount": {"金额", "amount"}, "amount_fen": {"金额", "amount"},
	"cost_fen": {"费用", "cost"}, "outcome": {"结果", "outcome"}, "category": {"类别", "category"}, "risk_type": {"风险类型", "risk type"},
	"start": {"开始", "start"}, "end": {"结束", "end"}, "decision": {"核实结论", "decision"}, "approve": {"批准", "approved"},
	"role": {"角色", "role"}, "place_code": {"地区", "place"}, "display_name": {"姓名", "display name"}, "disabled": {"已停用", "disabled"},
	"import_line": {"导入行号", "import line"}, "sha256": {"文件校验值", "file checksum"}, "kind": {"类型", "kind"},
	"keep": {"保留", "kept"}, "fields": {"项目", "fields"}, "note": {"说明", "note"}, "households": {"家庭数", "households"},
	"persons": {"人数", "persons"}, "username": {"用户", "user"}, "provider": {"提供方", "provider"},
	"item": {"事项编号", "item"}, "cost": {"费用", "cost"}, "description": {"内容", "description"}, "due": {"回访日期", "due"},
	"value": {"取值", "value"}, "year": {"年度", "year"}, "version": {"版本", "version"}, "list": {"名单", "list"},
	"status": {"状态", "status"}, "told": {"已告知", "told"}, "wants_apply": {"愿意申请", "wants to apply"},
	"line": {"条目", "line"}, "case": {"案件", "case"},
	"risks": {"风险", "risks"}, "kinds": {"情况", "what happened"}, "problems": {"有问题的项目", "problems"}, "next": {"下次回访", "next visit"},
	"categories": {"类别", "categories"}, "Created": {"新增", "created"}, "Updated": {"更新", "updated"}, "Unchanged": {"未变", "unchanged"}, "errors": {"错误", "errors"}, "import_id": {"导入", "import"}, "count": {"数量", "count"},
}

// assignmentSources say where a category assignment came from.
var assignmentSources = map[string][2]string{"case": {"案件", "a case"}, "import": {"导入台账", "ledger import"}, "manual": {"手工登记", "entered by hand"}}

// idKeys hold record numbers, shown as "#12".
var idKeys = map[string]bool{"household_id": true, "person_id": true, "clue_id": true, "case_id": true, "head_person_id": true,
	"from": true, "to": true, "into": true, "new_household": true, "keep": true, "item": true, "import_id": true}

// IPText is where an entry came from: an address, or the command line.
func (p *page) IPText(ip string) string {
	if ip == "cli" {
		return p.pick("命令行", "command line")
	}
	return ip
}

// placeText names a place code, marked as user data.
func (p *page) placeText(code string) string {
	if p.placeName != nil {
		if n := p.placeName(code); n != "" {
			return ud(n)
		}
	}
	return ud(code)
}

// ActionText names an audit action.
func (p *page) ActionText(code string) string {
	return auditActions.Label(code, p.Lang)
}

// AuditActions are the action filter's choices.
func (p *page) AuditActions() safetynet.Vocab { return auditActions }

// AuditObjectTypes are the object filter's choices, sorted by code.
func (p *page) AuditObjectTypes() safetynet.Vocab {
	var v safetynet.Vocab
	for code, o := range auditObjects {
		v = append(v, safetynet.Option{Code: code, ZH: o.zh, EN: o.en})
	}
	sort.Slice(v, func(i, j int) bool { return v[i].Code < v[j].Code })
	return v
}

// ObjectText names the record an entry is about, linked to its page.
func (p *page) ObjectText(typ, id string) template.HTML {
	o, ok := auditObjects[typ]
	if !ok {
		return template.HTML(template.HTMLEscapeString(strings.TrimSpace(typ + " " + id)))
	}
	label := template.HTMLEscapeString(p.pick(o.zh, o.en))
	if id == "" {
		return template.HTML(label)
	}
	text := label + " #" + template.HTMLEscapeString(id)
	if strings.Trim(id, "0123456789") != "" { // a composed key (county/year/name) reads as code
		text = label + " <code>" + template.HTMLEscapeString(id) + "</code>"
	}
	if o.path == "" {
		return template.HTML(text)
	}
	return template.HTML(`<a href="` + template.HTMLEscapeString(o.path+id) + `">` + text + `</a>`)
}

// DetailText shows an entry's detail as "label: value" lines instead of
// JSON: amounts in yuan, codes by their names.
func (p *page) DetailText(detail string) template.HTML {
	var m map[string]any
	if detail == "" || json.Unmarshal([]byte(detail), &m) != nil || len(m) == 0 {
		return ""
	}
	return markUserData(p.detailPairs(m))
}

func (p *page) detailPairs(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if k == "sha256" || m[k] == nil || m[k] == "" {
			continue // a checksum means nothing to a reader; nothing to show
		}
		label := k
		if l, ok := detailKeys[k]; ok {
			label = p.pick(l[0], l[1])
		}
		parts = append(parts, label+p.T("common.colon")+p.detailValue(k, m[k]))
	}
	return strings.Join(parts, p.pick("；", "; "))
}

func (p *page) detailValue(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return p.pick(map[bool]string{true: "是", false: "否"}[x], map[bool]string{true: "yes", false: "no"}[x])
	case float64:
		if key == "amount" || key == "cost" || strings.HasSuffix(key, "_fen") {
			return safetynet.FormatYuan(int64(x)) + p.T("common.yuan")
		}
		if idKeys[key] {
			return fmt.Sprintf("#%d", int64(x))
		}
		return fmt.Sprint(int64(x))
	case string:
		if t, ok := p.monitoringDetailValue(key, x); ok {
			return t
		}
		if t, ok := p.certificationDetailValue(key, x); ok {
			return t
		}
		if t, ok := p.settlementDetailValue(key, x); ok {
			return t
		}
		if t, ok := p.servicesDetailValue(key, x); ok {
			return t
		}
		if t, ok := p.fundsDetailValue(key, x); ok {
			return t
		}
		if t, ok := p.campaignsDetailValue(key, x); ok {
			return t
		}
		switch key {
		case "level":
			return p.Level(safetynet.Level(x))
		case "role":
			return p.Role(safetynet.Role(x))
		case "measure":
			return p.measure(x)
		case "urgency", "outcome", "decision":
			return p.L(key, x)
		case "source":
			if safetynet.ClueSources.Valid(x) {
				return p.L("clue_source", x)
			}
			if l, ok := assignmentSources[x]; ok {
				return p.pick(l[0], l[1])
			}
		case "username":
			return p.whoText(x)
		case "place_code", "parent_code", "place":
			return p.placeText(x)
		case "kinds":
			return p.L("clue_kind", x)
		case "risks":
			return p.L("risk", x)
		case "problems":
			return p.L("checklist", x)
		case "category":
			return p.Cat(x)
		case "risk_type":
			return p.L("risk", x)
		case "reason":
			if safetynet.EndReasons.Valid(x) {
				return p.L("end_reason", x)
			}
		}
		return ud(x)
	case []any:
		var out []string
		for _, it := range x {
			out = append(out, p.detailValue(key, it))
		}
		return strings.Join(out, p.pick("、", ", "))
	case map[string]any:
		if key == "changed" {
			return p.fieldList(x)
		}
		return p.pick("（", " (") + string(p.detailPairs(x)) + p.pick("）", ")")
	}
	return ud(fmt.Sprint(v))
}
