package i18n

func init() {
	add(registerZH, registerEN)
}

// add merges more words into the catalogues.
func add(z, e map[string]string) {
	for k, v := range z {
		zh[k] = v
	}
	for k, v := range e {
		en[k] = v
	}
}

var registerZH = map[string]string{
	"register.title": "台账", "register.search": "查找", "register.search_hint": "姓名、身份证号、电话或地址",
	"register.results": "查找结果", "register.households": "家庭", "register.place": "所属地区", "register.category": "类别",
	"register.all_places": "全部地区", "register.all_categories": "全部类别",

	"household.title": "一户一表", "household.sheet": "一户一表", "household.new": "新建家庭", "household.edit": "修改家庭信息",
	"household.id": "家庭编号", "household.number": "户编号", "household.address": "家庭住址", "household.phone": "联系电话",
	"household.members": "家庭人口", "household.income": "人均纯收入", "household.income_year": "收入年度",
	"household.housing": "住房", "household.water": "饮水", "household.notes": "备注", "household.head": "户主",
	"household.basic": "家庭基本情况", "household.member_list": "家庭成员", "household.former": "原成员",
	"household.categories": "类别与风险", "household.split": "分户", "household.merge": "合户",
	"household.merge_from": "并入本户的家庭编号", "household.merge_confirm": "确定把该家庭的全部成员并入本户吗？原家庭将标记为已合户。",
	"household.split_help":    "勾选要分出去的成员并指定新家庭的户主。如果原户主也分出去，请为原家庭指定新户主。",
	"household.split_members": "分出的成员", "household.new_head": "新户主", "household.old_new_head": "原家庭的新户主（原户主分出时）",

	"person.title": "一人一档", "person.file": "一人一档", "person.new": "添加成员", "person.edit": "修改人员信息",
	"person.name": "姓名", "person.id_number": "身份证号", "person.relation": "与户主关系", "person.sex": "性别",
	"person.birth": "出生日期", "person.age": "年龄", "person.years": "岁", "person.phone": "联系电话", "person.health": "健康状况",
	"person.health_notes": "健康说明", "person.disability": "残疾类别", "person.disability_grade": "残疾等级", "person.grade": "级",
	"person.education": "文化程度", "person.in_school": "在校生", "person.labour": "劳动技能", "person.work": "务工情况",
	"person.situation": "健康、残疾、就学与务工", "person.categories": "人员类别", "person.memberships": "所在家庭",
	"person.id_hint": "18位身份证号，15位旧号会自动转换", "person.birth_hint": "填写身份证号后，出生日期和性别自动得出。",
	"person.legacy_hint": "由15位旧号转换，请核实", "person.make_head": "设为户主", "person.make_head_confirm": "确定设为户主吗？原户主的关系将改为“其他”，请随后修改。",
	"person.status_change": "登记死亡或迁出", "person.status": "状态", "person.status_confirm": "确定登记吗？该人员的类别将同时结束，记录会保留。",
	"person.new_head": "新户主的人员编号", "person.new_head_hint": "该人员是户主且家里还有其他成员时必填",
	"person.move": "迁入其他家庭", "person.move_to": "目标家庭编号",

	"category.category": "类别", "category.risk_type": "风险类型", "category.start": "开始日期", "category.reason": "原因",
	"category.add": "添加类别", "category.end": "结束", "category.end_reason": "结束原因", "category.end_date": "结束日期",
	"category.note": "说明", "category.now": "至今", "category.none": "暂无类别记录",

	"status.active": "在册", "status.deceased": "死亡", "status.moved_away": "迁出", "status.merged": "已合户",
	"status.dissolved": "已注销", "status.duplicate": "重复登记", "status.left": "已迁到其他家庭",

	"timeline.title": "经历", "duplicates.title": "疑似重复登记",
	"duplicates.help": "姓名和出生日期相同的在册人员。请核实：不是同一人则标记后不再提示；是同一人则保留前一条，后一条标记为重复登记（记录保留）。",
	"duplicates.none": "没有待处理的疑似重复", "duplicates.different": "不是同一人", "duplicates.same": "是同一人",
	"duplicates.same_confirm": "确定是同一人吗？后一条记录将标记为重复登记。",
	"imports.title":           "导入台账", "export.title": "导出台账",

	"common.edit": "修改", "common.more": "更多 ›", "common.print": "打印", "common.reveal": "查看完整号码", "common.unchanged": "不修改请留空",
	"common.yuan": "元", "common.date": "日期",

	"flash.saved": "已保存", "flash.household_created": "家庭已登记", "flash.member_added": "成员已添加", "flash.category_added": "类别已添加",
	"flash.category_ended": "类别已结束", "flash.merged": "已合户", "flash.moved": "已迁入新家庭", "flash.split": "已分户",
}

var registerEN = map[string]string{
	"register.title": "Register", "register.search": "Find", "register.search_hint": "Name, ID number, phone or address",
	"register.results": "Results", "register.households": "Households", "register.place": "Place", "register.category": "Category",
	"register.all_places": "All places", "register.all_categories": "All categories",

	"household.title": "Household form", "household.sheet": "Household form", "household.new": "New household", "household.edit": "Edit household",
	"household.id": "Household no.", "household.number": "Ledger no.", "household.address": "Address", "household.phone": "Phone",
	"household.members": "Members", "household.income": "Per-capita income", "household.income_year": "Income year",
	"household.housing": "Housing", "household.water": "Drinking water", "household.notes": "Notes", "household.head": "Head of household",
	"household.basic": "Household", "household.member_list": "Members", "household.former": "Former members",
	"household.categories": "Categories and risks", "household.split": "Split household", "household.merge": "Merge households",
	"household.merge_from": "Number of the household to merge into this one", "household.merge_confirm": "Move every member of that household into this one? It will be marked as merged.",
	"household.split_help":    "Tick the members who leave and choose the head of the new household. If the old head leaves, choose a new head for the old household.",
	"household.split_members": "Members who leave", "household.new_head": "new head", "household.old_new_head": "New head of the old household (if its head leaves)",

	"person.title": "Person file", "person.file": "Person file", "person.new": "Add member", "person.edit": "Edit person",
	"person.name": "Name", "person.id_number": "ID number", "person.relation": "Relation to head", "person.sex": "Sex",
	"person.birth": "Birth date", "person.age": "Age", "person.years": " years", "person.phone": "Phone", "person.health": "Health",
	"person.health_notes": "Health notes", "person.disability": "Disability", "person.disability_grade": "Disability grade", "person.grade": "",
	"person.education": "Education", "person.in_school": "In school", "person.labour": "Labour", "person.work": "Work",
	"person.situation": "Health, disability, school, work", "person.categories": "Person categories", "person.memberships": "Households",
	"person.id_hint": "18-character ID number; 15-digit old numbers are converted", "person.birth_hint": "With an ID number, birth date and sex are derived from it.",
	"person.legacy_hint": "converted from a 15-digit number: please check", "person.make_head": "Make head", "person.make_head_confirm": "Make this person the head? The old head's relation becomes 'other': correct it afterwards.",
	"person.status_change": "Record a death or departure", "person.status": "Status", "person.status_confirm": "Record this? The person's categories end too; the record is kept.",
	"person.new_head": "New head (person number)", "person.new_head_hint": "required when this person is the head and others remain",
	"person.move": "Move to another household", "person.move_to": "Target household number",

	"category.category": "Category", "category.risk_type": "Risk type", "category.start": "Start date", "category.reason": "Reason",
	"category.add": "Add category", "category.end": "End", "category.end_reason": "Reason", "category.end_date": "End date",
	"category.note": "Note", "category.now": "now", "category.none": "No categories yet",

	"status.active": "active", "status.deceased": "deceased", "status.moved_away": "moved away", "status.merged": "merged",
	"status.dissolved": "dissolved", "status.duplicate": "duplicate", "status.left": "moved to another household",

	"timeline.title": "Timeline", "duplicates.title": "Possible duplicates",
	"duplicates.help": "Active persons with the same name and birth date. Check them: if they differ, mark them and they are not shown again; if they are the same person, the first is kept and the second is marked as a duplicate (its record is kept).",
	"duplicates.none": "No possible duplicates to review", "duplicates.different": "Different persons", "duplicates.same": "Same person",
	"duplicates.same_confirm": "Same person? The second record will be marked as a duplicate.",
	"imports.title":           "Import ledger", "export.title": "Export ledger",

	"common.edit": "Edit", "common.more": "More ›", "common.print": "Print", "common.reveal": "Show full number", "common.unchanged": "leave empty to keep",
	"common.yuan": " yuan", "common.date": "Date",

	"flash.saved": "Saved", "flash.household_created": "Household registered", "flash.member_added": "Member added", "flash.category_added": "Category added",
	"flash.category_ended": "Category ended", "flash.merged": "Households merged", "flash.moved": "Moved to the new household", "flash.split": "Household split",
}

func init() {
	add(map[string]string{
		"imports.help":     "上传 Excel（.xlsx）或 CSV 台账，一行一人。系统自动识别“户主姓名、姓名、身份证号、与户主关系、所属村组、联系电话、监测对象类型、风险类型、人均纯收入”等常见列，先检查、再确认导入。有任何错误时不会做任何更改；同一文件再次导入不会重复登记。",
		"imports.template": "下载台账模板", "imports.file": "台账文件", "imports.upload": "上传并检查",
		"imports.default_place": "文件中没有“所属村组”时，登记到", "imports.no_default": "（按文件中的村组）",
		"imports.recent": "最近的导入", "imports.status.previewed": "已检查，待确认", "imports.status.failed": "有错误",
		"imports.status.committed": "已导入", "imports.original": "下载原文件", "imports.preview": "检查结果（尚未保存）",
		"imports.committed_report": "导入结果", "imports.households_new": "新增家庭", "imports.households_changed": "更新家庭",
		"imports.persons_new": "新增人员", "imports.persons_changed": "更新人员", "imports.categories": "新增类别",
		"imports.rejected": "未通过的行", "imports.download_errors": "下载错误报告（Excel）", "imports.changes": "将要更新的内容",
		"imports.commit": "确认导入", "imports.columns": "列的对应关系", "imports.check_again": "按此对应关系重新检查",
		"imports.columns_help": "系统已按表头自动识别。如有识别错误，请为每项选择文件中对应的列，然后重新检查。",
		"export.help":          "导出为与导入模板相同格式的 Excel 台账。身份证号和电话默认隐去中间位。",
		"export.reveal":        "导出完整身份证号和电话（将记录在审计日志中）", "export.download": "下载 Excel",
		"flash.imported": "台账已导入",
	}, map[string]string{
		"imports.help":     "Upload an Excel (.xlsx) or CSV ledger, one row per person. Common columns (head of household, name, ID number, relation, village or group, phone, monitoring type, risk types, per-capita income…) are recognised. Check first, then confirm. If anything is wrong nothing is changed; importing the same file again registers nobody twice.",
		"imports.template": "Download the ledger template", "imports.file": "Ledger file", "imports.upload": "Upload and check",
		"imports.default_place": "Register rows without a village or group at", "imports.no_default": "(the village or group in the file)",
		"imports.recent": "Recent imports", "imports.status.previewed": "checked, to confirm", "imports.status.failed": "has errors",
		"imports.status.committed": "imported", "imports.original": "Download the original file", "imports.preview": "Check result (not saved yet)",
		"imports.committed_report": "Import result", "imports.households_new": "New households", "imports.households_changed": "Updated households",
		"imports.persons_new": "New persons", "imports.persons_changed": "Updated persons", "imports.categories": "Categories added",
		"imports.rejected": "Rejected rows", "imports.download_errors": "Download the error report (Excel)", "imports.changes": "What will change",
		"imports.commit": "Confirm import", "imports.columns": "Columns", "imports.check_again": "Check again with these columns",
		"imports.columns_help": "Columns were recognised from the header. If one is wrong, choose the right column for each item and check again.",
		"export.help":          "Exports an Excel ledger in the layout of the import template. ID and phone numbers are masked by default.",
		"export.reveal":        "Export full ID and phone numbers (recorded in the audit log)", "export.download": "Download Excel",
		"flash.imported": "Ledger imported",
	})
}
