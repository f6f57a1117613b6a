package i18n

var zh = map[string]string{
	"app.name": "社会救助安全网",

	"nav.menu": "主菜单", "nav.home": "首页", "nav.places": "地区", "nav.users": "用户", "nav.audit": "审计日志",
	"nav.account": "我的账号", "nav.logout": "退出登录",

	"common.filter": "筛选", "common.nothing_found": "没有找到记录", "common.older": "更早的记录 ›", "common.save": "保存",

	"error.title": "出错了",

	"login.title": "登录", "login.intro": "网格员、村（社区）、乡镇（街道）和县（区）工作人员请使用分配的账号登录。",
	"login.username": "用户名", "login.password": "密码", "login.submit": "登录",

	"home.title": "首页", "home.hello": "您好", "home.role": "角色", "home.place": "负责地区",
	"home.subplaces": "下级地区", "home.shortcuts": "常用功能",

	"places.title": "地区", "places.path": "所在位置", "places.search": "搜索地区", "places.search_hint": "地区名称或代码",
	"places.code": "代码", "places.children": "下级", "places.no_children": "没有下级地区",
	"places.users_here": "本地区的工作人员", "places.users_subtree": "查看下级地区的全部用户",
	"places.add": "添加下级", "places.level": "级别", "places.name": "名称", "places.code_optional": "代码（可不填，自动生成）",
	"places.add_submit": "添加", "places.edit": "修改地区", "places.rename": "改名", "places.new_parent": "新的上级代码",
	"places.move": "移动", "places.move_confirm": "确定把这个地区连同全部下级移到新的上级吗？", "places.add_user": "在此地区添加用户",

	"import.title": "导入行政区划", "import.help": "上传 CSV 文件，第一行为 代码,名称,级别,上级代码（UTF-8 或 GBK 编码）；级别写 省、市、县、乡镇、村、组 或 网格。先“检查”预览结果，再“导入”。有任何错误时不会做任何更改。",
	"import.file": "CSV 文件", "import.check": "检查", "import.commit": "导入", "import.preview": "检查结果（尚未保存）",
	"import.done": "导入完成", "import.failed": "导入失败，未做任何更改", "import.rows": "行数", "import.created": "新增",
	"import.updated": "更新", "import.unchanged": "未变", "import.errors": "错误", "import.line": "行号", "import.field": "列", "import.reason": "原因",

	"users.title": "用户", "users.new": "新建用户", "users.detail": "用户", "users.search_hint": "用户名或姓名",
	"users.all_roles": "全部角色", "users.include_disabled": "包括已停用", "users.username": "用户名", "users.display_name": "姓名",
	"users.role": "角色", "users.place": "负责地区", "users.place_code": "负责地区代码", "users.status": "状态",
	"users.active": "正常", "users.disabled": "已停用", "users.initial_password": "初始密码（首次登录须修改）",
	"users.last_login": "最近登录", "users.created": "创建时间", "users.reset_password": "重置密码",
	"users.reset_help": "设置一个临时密码；该用户的所有登录将失效，下次登录时须修改密码。", "users.temp_password": "临时密码",
	"users.history": "查看此用户的变更记录",

	"audit.title": "审计日志", "audit.time": "时间", "audit.user": "用户", "audit.action": "操作", "audit.action_hint": "操作",
	"audit.object": "对象", "audit.object_type": "对象类型", "audit.object_id": "对象编号", "audit.place": "地区代码", "audit.ip": "来源地址",
	"audit.detail": "详情", "audit.from": "从", "audit.to": "到",

	"account.title":  "我的账号",
	"password.title": "修改密码", "password.forced": "首次登录或密码被重置后，请先设置新密码。", "password.current": "当前密码",
	"password.new": "新密码（至少8个字符）", "password.confirm": "再次输入新密码",

	"flash.password_changed": "密码已修改", "flash.password_reset": "密码已重置", "flash.place_created": "已添加下级地区",
	"flash.place_saved": "地区已保存", "flash.user_created": "用户已创建", "flash.user_saved": "用户已保存",
}

var en = map[string]string{
	"app.name": "Safety Net",

	"nav.menu": "Main menu", "nav.home": "Home", "nav.places": "Places", "nav.users": "Users", "nav.audit": "Audit log",
	"nav.account": "My account", "nav.logout": "Log out",

	"common.filter": "Filter", "common.nothing_found": "Nothing found", "common.older": "Older entries ›", "common.save": "Save",

	"error.title": "Error",

	"login.title": "Log in", "login.intro": "Grid workers and village, town and county staff: log in with the account you were given.",
	"login.username": "Username", "login.password": "Password", "login.submit": "Log in",

	"home.title": "Home", "home.hello": "Hello", "home.role": "Role", "home.place": "Responsible for",
	"home.subplaces": "Places below", "home.shortcuts": "Shortcuts",

	"places.title": "Place", "places.path": "Location", "places.search": "Search places", "places.search_hint": "Place name or code",
	"places.code": "Code", "places.children": "Below", "places.no_children": "No places below",
	"places.users_here": "Staff of this place", "places.users_subtree": "All users of the places below",
	"places.add": "Add a place below", "places.level": "Level", "places.name": "Name", "places.code_optional": "Code (optional, generated if empty)",
	"places.add_submit": "Add", "places.edit": "Change this place", "places.rename": "Rename", "places.new_parent": "New parent code",
	"places.move": "Move", "places.move_confirm": "Move this place and everything below it to the new parent?", "places.add_user": "Add a user here",

	"import.title": "Import divisions", "import.help": "Upload a CSV file whose first line is code,name,level,parent_code (UTF-8 or GBK). Check it first, then import. If anything is wrong, nothing is changed.",
	"import.file": "CSV file", "import.check": "Check", "import.commit": "Import", "import.preview": "Check result (not saved yet)",
	"import.done": "Import finished", "import.failed": "Import failed; nothing was changed", "import.rows": "Rows", "import.created": "New",
	"import.updated": "Updated", "import.unchanged": "Unchanged", "import.errors": "Errors", "import.line": "Line", "import.field": "Column", "import.reason": "Reason",

	"users.title": "Users", "users.new": "New user", "users.detail": "User", "users.search_hint": "Username or name",
	"users.all_roles": "All roles", "users.include_disabled": "Include disabled", "users.username": "Username", "users.display_name": "Name",
	"users.role": "Role", "users.place": "Place", "users.place_code": "Place code", "users.status": "Status",
	"users.active": "Active", "users.disabled": "Disabled", "users.initial_password": "Initial password (changed at first login)",
	"users.last_login": "Last login", "users.created": "Created", "users.reset_password": "Reset password",
	"users.reset_help": "Set a temporary password; all of this user's sessions end and they must choose a new password at next login.", "users.temp_password": "Temporary password",
	"users.history": "Changes to this user",

	"audit.title": "Audit log", "audit.time": "Time", "audit.user": "User", "audit.action": "Action", "audit.action_hint": "Action",
	"audit.object": "Record", "audit.object_type": "Record type", "audit.object_id": "Record ID", "audit.place": "Place code", "audit.ip": "From",
	"audit.detail": "Detail", "audit.from": "From", "audit.to": "To",

	"account.title":  "My account",
	"password.title": "Change password", "password.forced": "Please choose a new password before you continue.", "password.current": "Current password",
	"password.new": "New password (at least 8 characters)", "password.confirm": "New password again",

	"flash.password_changed": "Password changed", "flash.password_reset": "Password reset", "flash.place_created": "Place added",
	"flash.place_saved": "Place saved", "flash.user_created": "User created", "flash.user_saved": "User saved",
}
