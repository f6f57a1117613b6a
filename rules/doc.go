// Package rules is the product's one rules engine: eligibility and exit
// rules of measures (政策找人), and later department warnings, visit
// triggers and risk colours. A rule is a CEL expression (cel.dev/cel-go)
// over one household h, its members and named parameters; it answers true
// or false. The package imports neither net/http nor database/sql: the
// storage layer fills Household values (FromRegister maps the register's
// types) and persists the Results.
//
// # Schema (规则可引用的数据)
//
// Env.Schema returns the schema below as data for the help page.
//
// h, the household (户):
//
//	h.id                 integer  户ID
//	h.place_code         text     所属地区代码 (village division code; h.place_code.startsWith("530325"))
//	h.size               integer  在户人数 (living members in the household)
//	h.income_per_capita  number   人均收入, yuan/year — MAY BE MISSING (未登记)
//	h.income_year        integer  收入年度 — missing with the income
//	h.housing            text     住房情况: 住房安全, C级危房, D级危房, 无房, "" (not recorded)
//	h.water              text     饮水情况: 饮水安全, 供水不足, 水质不达标, ""
//	h.categories         list of text  户类别 held now, by Chinese label (低保户, 特困供养户, 边缘易致贫户…)
//	h.measures           list of text  享受措施 in force, by catalogue code (dibao, disability…)
//	h.members            list of m     在户成员 (living members still in the household)
//	h.former_members     list of m     已故或迁出成员 (deceased or departed, for exit rules)
//	h.monitored          bool     监测对象 (holds 脱贫不稳定户, 边缘易致贫户 or 突发严重困难户)
//	h.monitoring_type    text     监测类型: 脱贫不稳定户, 边缘易致贫户, 突发严重困难户, "" (not monitored)
//	h.monitored_months   integer  监测月数, whole months since monitoring started — MAY BE MISSING
//	h.open_clues         integer  未核实线索数 (the relay's clues not yet verified)
//	h.open_cases         integer  在办案件数 (cases not yet closed)
//	h.open_risks         list of text  未解决风险: kinds of open clues and risk types of open cases (生病住院, 因病…)
//	h.overdue_steps      integer  超时环节数 (open steps of those clues and cases past their deadline)
//
// m, a member (成员), the variable of h.members.exists(m, …) and the like:
//
//	m.id                 integer  人员ID
//	m.age                integer  年龄 in whole years — MAY BE MISSING (no birth date)
//	m.sex                text     性别: 男, 女, ""
//	m.relation           text     与户主关系: 户主, 配偶, 子, 女, 儿媳, 女婿, 孙子, 孙女, 父亲, 母亲, 祖父母, 兄弟姐妹, 其他
//	m.disability_grade   integer  残疾等级 1–4, 0 = none — MAY BE MISSING
//	m.disability_kind    text     残疾类别: 视力残疾, 听力残疾, 言语残疾, 肢体残疾, 智力残疾, 精神残疾, 多重残疾, ""
//	m.health             text     健康状况: 健康, 长期慢性病, 患有大病, 残疾, ""
//	m.serious_illness    bool     患大病 (health 患有大病 or category 大病患者)
//	m.chronic_illness    bool     患慢性病
//	m.education          text     文化程度: 学龄前儿童, 文盲或半文盲, 小学, 初中, 高中, 中职, 大专, 本科及以上, ""
//	m.in_school          bool     在校生
//	m.labour             text     劳动技能: 普通劳动力, 技能劳动力, 弱劳动力或半劳动力, 丧失劳动力, 无劳动力, ""
//	m.able_to_work       bool     有劳动能力 (普通劳动力 or 技能劳动力)
//	m.deceased           bool     已故 (only in h.former_members)
//	m.moved_away         bool     已迁出 (only in h.former_members)
//	m.categories         list of text  人员类别 held now (残疾人, 留守儿童…)
//
// params, the parameters (参数) of the county and year, declared with the
// Env (DefaultParams: params.dibao_line 低保线, params.tekun_line 特困供养标准,
// params.monitoring_line 监测线 — numbers, yuan/year; params.elderly_age
// 老年人年龄 — integer). Values are edited apart from rules; a rule reading a
// parameter that has no value fails with an error on every household.
//
// A text compared with == , != or in against a vocabulary field must be a
// value of that vocabulary ("D级" is refused, "D级危房" accepted).
//
// # Functions (可用函数)
//
//	h.has("特困供养户")        the household holds the category or receives the measure, named by
//	                          Chinese label, code or synonym (低保, 特困供养, 五保户, 残疾人两项补贴, dibao…);
//	                          the name must be written out and is checked when compiling
//	m.has("残疾人")            the member holds the person category
//	h.count(m, cond)          number of living members satisfying cond (size(h.members.filter(m, cond)))
//	list.exists(m, cond)      some element satisfies cond; all(m, cond), exists_one(m, cond),
//	                          filter(m, cond), map(m, expr) likewise
//	size(list)                number of elements
//	has(h.income_per_capita)  the value is recorded
//	x in [a, b]               membership
//	&& || ! c ? a : b         and, or, not, conditional
//	< <= > >= == !=           comparisons; integers and numbers compare with each other
//	+ - * / %                 arithmetic; integers and numbers do not mix (double(h.size))
//	text.startsWith(s), contains(s), endsWith(s), double(x), int(x)
//
// # Evaluation
//
// Rules have no side effects and are evaluated per household,
// independently: the order in which rules run does not change any answer.
// Program.Eval and EvaluateAll take the Params of one county and year;
// screening groups households by county. exists over no members is false,
// all over no members is true.
// Within a rule, && and || are commutative (both sides may be evaluated):
// false && anything is false, true || anything is true, whatever the other
// side gives. Compile checks syntax, names, types (the result must be a
// bool), has() names and vocabulary values, and refuses a rule whose
// worst-case cost estimate (lists of up to MaxMembers elements) exceeds
// the cost limit; evaluation stops at the same limit (households beyond
// those bounds are tracked) and on cancellation. Compiled programs are
// cached per (rule id, version) in a bounded LRU. Env and Program are safe
// for concurrent use; EvaluateAll spreads households over GOMAXPROCS.
//
// # Missing values (缺失值)
//
// Values marked MAY BE MISSING are not recorded for some households; a
// missing value is never read as 0. It follows SQL's NULL (three-valued
// logic): a comparison with a missing value is unknown, and so is its
// negation; false && unknown is false, true || unknown is true; an
// exists/all decided by another member ignores it. A rule whose answer is
// unknown does not hold: Result.Matched is false, Result.Missing names
// the value (人均收入), and the explanation says 人均收入未登记. A missing
// value used in arithmetic or as a function argument
// (h.income_per_capita * 2.0) makes the rule fail on that household with
// an error instead. Write has(h.income_per_capita) to test presence, e.g.
// !has(h.income_per_capita) || h.income_per_capita < params.dibao_line.
// Text fields are never missing: "" means not recorded.
//
// # Errors
//
// A rule that fails on one household (integer division by zero, the cost
// limit, a missing value in arithmetic, a parameter without value) gives
// that household a Result with Err and never a match; the others are
// evaluated. Number division by zero gives ±Inf, not an error.
//
// # Explanations (说明)
//
// Program.Explain walks the rule's top-level &&, || and ! and states the
// conditions that decided the answer with the household's values, naming
// fields and parameters by their labels: "人均收入 4,200 < 低保线 5,880；
// 无特困供养" (English alongside). A condition that does not hold is stated
// as its negation (人均收入 6,000 ≥ 低保线 5,880).
//
// # Warning rules (部门预警规则)
//
// A second kind of program (KindWarning, compiled by an EventEnv) tests
// one event a department pushed (部门推送). It has the same functions, type
// checks, vocabulary checks, cost limit, explanations and per-version
// cache as eligibility rules, and four variables:
//
// e, the event (事件):
//
//	e.type        text     事件类型 by Chinese label: 住院, 大额门诊, 残疾证办理或评级, 死亡, 失业登记, 工伤致失业,
//	                       辍学, 高额教育支出, 危房鉴定, 灾害损失, 断电断水, 低保或特困停发
//	e.date        text     事件日期 'YYYY-MM-DD' (compares as text)
//	e.year        integer  事件年度
//	e.department  text     推送部门 by Chinese label: 医保局, 教育局, 残联, 人社局, 住建局, 应急局, 民政局, …
//	e.registered  bool     已在台账: the person was matched to the register
//
// and every field of the event types (safetynet.EventTypes), each MAY BE
// MISSING (a field the department did not send, or of another type):
//
//	e.total_cost, e.oop_cost, e.oop_ytd, e.cost, e.loss   number, yuan (stored as fen, read as yuan)
//	e.grade, e.days                                       integer
//	e.kind (残疾类别), e.rating (C级危房, D级危房), e.utility (断电, 断水), e.school, e.disaster, e.measure   text
//	e.discharge_date                                      text 'YYYY-MM-DD'
//
// e.oop_ytd (年度累计个人自付) is the department's figure when sent; when
// not, storage computes it: the sum of oop_cost of the person's stored
// hospitalisation and large-outpatient events of the event's calendar
// year dated on or before it (the same date: stored before it), this
// event included. The person is the registered person, or for someone
// not in the register the blind index of the ID number.
//
// p, the person (人员), of the member type (p.age, p.relation, p.has(…)…);
// for someone not in the register nothing of p is recorded (p.age is
// missing, texts are "", p.id is 0). h, the person's household as now in
// the register; for someone not in the register an empty household (no
// members, no categories, h.id 0, h.place_code the event's place).
// params as for eligibility rules, with the warning thresholds
// params.medical_oop_ordinary (普通农户阈值) and params.medical_oop_monitored
// (脱贫户及监测对象阈值), which take ParamDefaults (20,000 and 5,000 yuan)
// in a county that has not set them.
//
//	!h.has("脱贫户") && e.oop_ytd >= params.medical_oop_ordinary
//
// explains as "无脱贫户；年度累计个人自付 23,400 ≥ 普通农户阈值 20,000".
// Program.EvalEvent and ExplainEvent evaluate one EventInput;
// RunEventExamples runs the rule tests (EventExample).
//
// # Checks before publishing
//
// ShareOf and Share.Warnings warn about a rule that matches (almost) every
// or no household of a sample. Examples (named households with the
// expected answer) are run by RunExamples; a file of them for
// `safetynet rules test FILE` is read by Env.ParseTestFile (JSON, see
// TestFile).
package rules
