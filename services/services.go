// Package services decides services bought from organisations and paid
// per verified service (按劳定酬): the service types and their names, plan
// frequencies and the periods they make due, the roles of a 1+5+N team,
// the kinds of an organisation's workers, and the review states of a
// recorded service. Storage applies them (sqlstore/services_*.go and
// sqlstore/settlement_*.go). Money is integer fen, never a float.
package services

// Type is a kind of service a contract prices.
type Type string

// Service types (seed 001, 002).
const (
	Cleaning      Type = "cleaning"       // 保洁
	DeepCleaning  Type = "deep_cleaning"  // 深度保洁
	Haircut       Type = "haircut"        // 理发
	MealDelivery  Type = "meal_delivery"  // 送餐
	Tutoring      Type = "tutoring"       // 课业辅导
	Counselling   Type = "counselling"    // 心理疏导
	SkillTraining Type = "skill_training" // 技能培训
	Nutrition     Type = "nutrition"      // 营养包
	CareVisit     Type = "care_visit"     // 照料探访
)

// Types lists the service types in the order forms show them.
var Types = []Type{Cleaning, DeepCleaning, Haircut, MealDelivery, Tutoring, Counselling, SkillTraining, Nutrition, CareVisit}

var typeNames = map[Type][2]string{
	Cleaning:      {"保洁", "cleaning"},
	DeepCleaning:  {"深度保洁", "deep cleaning"},
	Haircut:       {"理发", "haircut"},
	MealDelivery:  {"送餐", "meal delivery"},
	Tutoring:      {"课业辅导", "tutoring session"},
	Counselling:   {"心理疏导", "counselling session"},
	SkillTraining: {"技能培训", "skills training"},
	Nutrition:     {"营养包", "nutrition package"},
	CareVisit:     {"照料探访", "care visit"},
}

// Valid reports whether t is a known service type.
func (t Type) Valid() bool { _, ok := typeNames[t]; return ok }

// Name is the type's name in Chinese (zh) or English.
func (t Type) Name(lang string) string { return pick(typeNames[t], lang, string(t)) }

// Frequency is how often a plan makes a service due.
type Frequency string

// Frequencies.
const (
	Daily        Frequency = "daily"         // 每天
	Weekly       Frequency = "weekly"        // 每周
	Biweekly     Frequency = "biweekly"      // 每两周
	TwiceMonthly Frequency = "twice_monthly" // 每月两次 (1st–15th, 16th–end)
	Monthly      Frequency = "monthly"       // 每月
	Once         Frequency = "once"          // 一次
)

// Frequencies lists the frequencies in the order forms show them.
var Frequencies = []Frequency{Daily, Weekly, Biweekly, TwiceMonthly, Monthly, Once}

var frequencyNames = map[Frequency][2]string{
	Daily:        {"每天", "daily"},
	Weekly:       {"每周", "weekly"},
	Biweekly:     {"每两周", "every two weeks"},
	TwiceMonthly: {"每月两次", "twice a month"},
	Monthly:      {"每月", "monthly"},
	Once:         {"一次", "once"},
}

// Valid reports whether f is a known frequency.
func (f Frequency) Valid() bool { _, ok := frequencyNames[f]; return ok }

// Name is the frequency's name in Chinese (zh) or English.
func (f Frequency) Name(lang string) string { return pick(frequencyNames[f], lang, string(f)) }

// WorkerKind is what an organisation's worker does.
type WorkerKind string

// Worker kinds.
const (
	SocialWorker WorkerKind = "social_worker" // 社工
	Psychologist WorkerKind = "psychologist"  // 心理咨询师
	Tutor        WorkerKind = "tutor"         // 辅导老师
	Lawyer       WorkerKind = "lawyer"        // 律师
	Volunteer    WorkerKind = "volunteer"     // 志愿者
	Helper       WorkerKind = "helper"        // 有偿服务员 (a resident paid per service, e.g. 30 yuan a cleaning)
)

// WorkerKinds lists the worker kinds in the order forms show them.
var WorkerKinds = []WorkerKind{SocialWorker, Psychologist, Tutor, Lawyer, Volunteer, Helper}

var workerKindNames = map[WorkerKind][2]string{
	SocialWorker: {"社工", "social worker"},
	Psychologist: {"心理咨询师", "psychologist"},
	Tutor:        {"辅导老师", "tutor"},
	Lawyer:       {"律师", "lawyer"},
	Volunteer:    {"志愿者", "volunteer"},
	Helper:       {"有偿服务员", "paid helper"},
}

// Valid reports whether k is a known worker kind.
func (k WorkerKind) Valid() bool { _, ok := workerKindNames[k]; return ok }

// Name is the kind's name in Chinese (zh) or English.
func (k WorkerKind) Name(lang string) string { return pick(workerKindNames[k], lang, string(k)) }

// TeamRole is a named role of a 1+5+N team around a child: one social
// worker plus a psychologist, a tutor, a lawyer, a volunteer and N more.
type TeamRole string

// Team roles.
const (
	TeamSocialWorker TeamRole = "social_worker" // 社工 (the "1")
	TeamPsychologist TeamRole = "psychologist"  // 心理咨询师
	TeamTutor        TeamRole = "tutor"         // 辅导老师
	TeamLawyer       TeamRole = "lawyer"        // 律师
	TeamVolunteer    TeamRole = "volunteer"     // 志愿者
	TeamOther        TeamRole = "other"         // the N: any further helper
)

// TeamRoles lists the team roles in the order forms show them.
var TeamRoles = []TeamRole{TeamSocialWorker, TeamPsychologist, TeamTutor, TeamLawyer, TeamVolunteer, TeamOther}

var teamRoleNames = map[TeamRole][2]string{
	TeamSocialWorker: {"社工", "social worker"},
	TeamPsychologist: {"心理咨询师", "psychologist"},
	TeamTutor:        {"辅导老师", "tutor"},
	TeamLawyer:       {"律师", "lawyer"},
	TeamVolunteer:    {"志愿者", "volunteer"},
	TeamOther:        {"其他帮扶人", "other helper"},
}

// Valid reports whether r is a known team role.
func (r TeamRole) Valid() bool { _, ok := teamRoleNames[r]; return ok }

// Name is the role's name in Chinese (zh) or English.
func (r TeamRole) Name(lang string) string { return pick(teamRoleNames[r], lang, string(r)) }

// Review states of a recorded service (service_records.review_status).
const (
	ReviewPending  = "pending"  // recorded, not yet verified
	ReviewAccepted = "accepted" // verified by the village: paid at settlement
	ReviewRejected = "rejected" // rejected with a reason: listed, not paid
)

// Confirmation kinds of a recorded service (service_records.confirm_kind).
const (
	ConfirmSignature = "signature" // drawn on the screen by the recipient
	ConfirmCode      = "code"      // the short code the household holds
)

func pick(names [2]string, lang, fallback string) string {
	if names[0] == "" {
		return fallback
	}
	if lang == "en" {
		return names[1]
	}
	return names[0]
}
