package httpserver

import (
	_ "embed"
	"net/http"
)

//go:embed openapi.yaml
var openAPI []byte

// apiRoutes is the route table of the JSON API. Path parameters are named
// for what they hold ({code} is a place code, {userID} a user ID), and
// the route-walk test knows how to fill each name.
func (s *Server) apiRoutes() []route {
	return []route{
		{method: "GET", pattern: "/api/v1/openapi.yaml", h: s.apiOpenAPI, public: true},
		{method: "POST", pattern: "/api/v1/auth/token", h: s.apiToken, public: true},
		{method: "DELETE", pattern: "/api/v1/auth/token", h: s.apiRevokeToken, duringPasswordChange: true},
		{method: "GET", pattern: "/api/v1/me", h: s.apiMe, duringPasswordChange: true},
		{method: "POST", pattern: "/api/v1/me/password", h: s.apiChangePassword, duringPasswordChange: true},

		{method: "GET", pattern: "/api/v1/places", h: s.apiPlaces},
		{method: "POST", pattern: "/api/v1/places", h: s.apiCreatePlace},
		{method: "POST", pattern: "/api/v1/places/import", h: s.apiImportPlaces, maxBody: uploadMaxBody},
		{method: "GET", pattern: "/api/v1/places/{code}", h: s.apiPlace},
		{method: "PATCH", pattern: "/api/v1/places/{code}", h: s.apiUpdatePlace},

		{method: "GET", pattern: "/api/v1/users", h: s.apiUsers},
		{method: "POST", pattern: "/api/v1/users", h: s.apiCreateUser},
		{method: "GET", pattern: "/api/v1/users/{userID}", h: s.apiUser},
		{method: "PATCH", pattern: "/api/v1/users/{userID}", h: s.apiUpdateUser},
		{method: "POST", pattern: "/api/v1/users/{userID}/password", h: s.apiResetPassword},

		{method: "GET", pattern: "/api/v1/audit", h: s.apiAudit},

		{method: "GET", pattern: "/api/v1/search", h: s.apiSearch},
		{method: "GET", pattern: "/api/v1/households", h: s.apiHouseholds},
		{method: "POST", pattern: "/api/v1/households", h: s.apiCreateHousehold},
		{method: "GET", pattern: "/api/v1/households/{householdID}", h: s.apiHousehold},
		{method: "PATCH", pattern: "/api/v1/households/{householdID}", h: s.apiUpdateHousehold},
		{method: "POST", pattern: "/api/v1/households/{householdID}/members", h: s.apiAddMember},
		{method: "POST", pattern: "/api/v1/households/{householdID}/head", h: s.apiSetHead},
		{method: "POST", pattern: "/api/v1/households/{householdID}/move-in", h: s.apiMoveIn},
		{method: "POST", pattern: "/api/v1/households/{householdID}/split", h: s.apiSplit},
		{method: "POST", pattern: "/api/v1/households/{householdID}/merge", h: s.apiMerge},
		{method: "POST", pattern: "/api/v1/households/{householdID}/categories", h: s.apiAssignHousehold},
		{method: "POST", pattern: "/api/v1/households/{householdID}/reveal", h: s.apiRevealHousehold},
		{method: "GET", pattern: "/api/v1/persons/{personID}", h: s.apiPerson},
		{method: "PATCH", pattern: "/api/v1/persons/{personID}", h: s.apiUpdatePerson},
		{method: "POST", pattern: "/api/v1/persons/{personID}/status", h: s.apiPersonStatus},
		{method: "POST", pattern: "/api/v1/persons/{personID}/categories", h: s.apiAssignPerson},
		{method: "POST", pattern: "/api/v1/persons/{personID}/reveal", h: s.apiRevealPerson},
		{method: "POST", pattern: "/api/v1/categories/{assignmentID}/end", h: s.apiEndCategory},
		{method: "GET", pattern: "/api/v1/duplicates", h: s.apiDuplicates},
		{method: "POST", pattern: "/api/v1/duplicates", h: s.apiDecideDuplicate},

		{method: "GET", pattern: "/api/v1/imports", h: s.apiImports},
		{method: "POST", pattern: "/api/v1/imports", h: s.apiCreateImport, maxBody: uploadMaxBody},
		{method: "GET", pattern: "/api/v1/imports/{importID}", h: s.apiImport},
		{method: "POST", pattern: "/api/v1/imports/{importID}/preview", h: s.apiPreviewImport},
		{method: "POST", pattern: "/api/v1/imports/{importID}/commit", h: s.apiCommitImport},
		{method: "GET", pattern: "/api/v1/imports/{importID}/errors.xlsx", h: s.importErrors},
		{method: "GET", pattern: "/api/v1/imports/{importID}/file", h: s.importOriginal},
		{method: "GET", pattern: "/api/v1/export.xlsx", h: s.exportLedger},
		{method: "GET", pattern: "/api/v1/ledger-template.xlsx", h: s.ledgerTemplate},

		{method: "POST", pattern: "/api/v1/clues", h: s.apiReportClue, maxBody: 8 << 20},
		{method: "GET", pattern: "/api/v1/clues", h: s.apiClues},
		{method: "GET", pattern: "/api/v1/clues/{clueID}", h: s.apiClue},
		{method: "GET", pattern: "/api/v1/clues/{clueID}/photo", h: s.cluePhoto},
		{method: "POST", pattern: "/api/v1/clues/{clueID}/acknowledge", h: s.apiAcknowledge},
		{method: "POST", pattern: "/api/v1/clues/{clueID}/verify", h: s.apiVerify},
		{method: "GET", pattern: "/api/v1/work", h: s.apiWork},
		{method: "GET", pattern: "/api/v1/rules", h: s.apiRules},
		{method: "POST", pattern: "/api/v1/rules", h: s.apiCreateRule},
		{method: "POST", pattern: "/api/v1/rules/check", h: s.apiCheckRule},
		{method: "GET", pattern: "/api/v1/rules/params", h: s.apiParams},
		{method: "POST", pattern: "/api/v1/rules/params", h: s.apiSetParam},
		{method: "GET", pattern: "/api/v1/rules/{ruleID}", h: s.apiRule},
		{method: "PATCH", pattern: "/api/v1/rules/{ruleID}", h: s.apiUpdateRule},
		{method: "POST", pattern: "/api/v1/rules/{ruleID}/preview", h: s.apiPreviewRule},
		{method: "POST", pattern: "/api/v1/rules/{ruleID}/publish", h: s.apiPublishRule},
		{method: "POST", pattern: "/api/v1/rules/{ruleID}/retire", h: s.apiRetireRule},
		{method: "GET", pattern: "/api/v1/colours/rules", h: s.apiColourRules},
		{method: "POST", pattern: "/api/v1/colours/rules/preview", h: s.apiPreviewColours},
		{method: "POST", pattern: "/api/v1/colours/rules/publish", h: s.apiPublishColours},
		{method: "GET", pattern: "/api/v1/colours/counts", h: s.apiColourCounts},
		{method: "GET", pattern: "/api/v1/households/{householdID}/colour", h: s.apiHouseholdColour},
		{method: "GET", pattern: "/api/v1/warning-rules", h: s.apiWarningRules},
		{method: "POST", pattern: "/api/v1/warning-rules", h: s.apiCreateWarningRule},
		{method: "GET", pattern: "/api/v1/warning-rules/{warningRuleID}", h: s.apiWarningRule},
		{method: "PATCH", pattern: "/api/v1/warning-rules/{warningRuleID}", h: s.apiUpdateWarningRule},
		{method: "POST", pattern: "/api/v1/warning-rules/{warningRuleID}/preview", h: s.apiPreviewWarningRule},
		{method: "GET", pattern: "/api/v1/warnings", h: s.apiWarnings},
		{method: "GET", pattern: "/api/v1/feeds/{department}/warnings", h: s.apiDepartmentWarnings},

		{method: "GET", pattern: "/api/v1/monitoring/processes", h: s.apiMonitoringProcesses},
		{method: "POST", pattern: "/api/v1/monitoring/processes", h: s.apiProposeMonitoring},
		{method: "GET", pattern: "/api/v1/monitoring/processes/{processID}", h: s.apiMonitoringProcess},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/review", h: s.apiMonitoringStep("review")},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/notice", h: s.apiMonitoringStep("notice")},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/town", h: s.apiMonitoringStep("town")},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/county", h: s.apiMonitoringStep("county")},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/resubmit", h: s.apiResubmitMonitoring},
		{method: "POST", pattern: "/api/v1/monitoring/processes/{processID}/withdraw", h: s.apiWithdrawMonitoring},
		{method: "GET", pattern: "/api/v1/monitoring/households", h: s.apiMonitoredHouseholds},
		{method: "POST", pattern: "/api/v1/monitoring/assessments", h: s.apiRecordAssessment},
		{method: "GET", pattern: "/api/v1/monitoring/settings", h: s.apiMonitoringSettings},
		{method: "PUT", pattern: "/api/v1/monitoring/settings", h: s.apiSetMonitoringSettings},
		{method: "GET", pattern: "/api/v1/monitoring/notice.xlsx", h: s.noticeXLSX},
		{method: "GET", pattern: "/api/v1/monitoring/meeting.xlsx", h: s.meetingXLSX},
		{method: "GET", pattern: "/api/v1/screening/lines", h: s.apiScreeningLines},
		{method: "POST", pattern: "/api/v1/screening/lines/{lineID}/dismiss", h: s.apiDismissLine},
		{method: "POST", pattern: "/api/v1/screening/lines/{lineID}/apply", h: s.apiApplyLine},
		{method: "POST", pattern: "/api/v1/screening/lines/{lineID}/followup", h: s.apiFollowupLine},
		{method: "GET", pattern: "/api/v1/outreach", h: s.apiOutreachTasks},
		{method: "GET", pattern: "/api/v1/outreach/counts", h: s.apiOutreachCounts},
		{method: "POST", pattern: "/api/v1/outreach/{taskID}", h: s.apiRecordOutreach},
		{method: "GET", pattern: "/api/v1/cases", h: s.apiCases},
		{method: "POST", pattern: "/api/v1/cases", h: s.apiOpenCase},
		{method: "GET", pattern: "/api/v1/cases/{caseID}", h: s.apiCase},
		{method: "POST", pattern: "/api/v1/cases/{caseID}/emergency", h: s.apiEmergency},
		{method: "POST", pattern: "/api/v1/cases/{caseID}/applications", h: s.apiApply},
		{method: "POST", pattern: "/api/v1/cases/{caseID}/followups", h: s.apiScheduleFollowup},
		{method: "POST", pattern: "/api/v1/cases/{caseID}/close", h: s.apiCloseCase},
		{method: "POST", pattern: "/api/v1/cases/{caseID}/reopen", h: s.apiReopenCase},
		{method: "POST", pattern: "/api/v1/applications/{applicationID}/decision", h: s.apiDecide},
		{method: "POST", pattern: "/api/v1/followups/{followupID}/done", h: s.apiCompleteFollowup},
		{method: "GET", pattern: "/api/v1/inbox", h: s.apiInbox},
		{method: "POST", pattern: "/api/v1/inbox/read", h: s.apiMarkRead},
		{method: "GET", pattern: "/api/v1/figures", h: s.apiFigures},
		{method: "GET", pattern: "/api/v1/settings/time-limits", h: s.apiTimeLimits},
		{method: "PUT", pattern: "/api/v1/settings/time-limits", h: s.apiSetTimeLimits},
		{method: "GET", pattern: "/api/v1/measures", h: s.apiMeasures},
		{method: "PUT", pattern: "/api/v1/measures/{measureCode}", h: s.apiPutMeasure},

		{method: "POST", pattern: "/api/v1/feeds/{department}/batches", h: s.apiPushFeedBatch, maxBody: feedMaxBody},
		{method: "GET", pattern: "/api/v1/feeds/{department}/batches", h: s.apiFeedBatches},
		{method: "GET", pattern: "/api/v1/feeds/{department}/batches/{batchID}", h: s.apiFeedBatch},
		{method: "PUT", pattern: "/api/v1/users/{userID}/department", h: s.apiSetUserDepartment},
	}
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request, rc *reqCtx) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Write(openAPI)
	return nil
}
